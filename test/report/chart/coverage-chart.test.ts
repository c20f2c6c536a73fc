import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaseSpan } from '../../../src/domain/metrics/coverage.js';
import type { AccountScanSummary } from '../../../src/domain/trend.js';
import { coverageChartPng, coverageChartSvg } from '../../../src/report/chart/coverage-chart.js';
import { ACCOUNT_COLOURS, OTHERS_COLOUR } from '../../../src/report/chart/coverage-spec.js';
import { chartAssetPaths, load, rasterize } from '../../../src/report/chart/render.js';

const NOW = new Date('2026-12-02T08:00:00Z');
const DAY = 86_400_000;

/** `accounts` accounts scanned daily for 30 days; account i has i open cases throughout. */
function state(accounts: number, alias: (i: number) => string = (i) => `acme-${i}`) {
  const summaries: AccountScanSummary[] = [];
  const cases: CaseSpan[] = [];
  for (let i = 0; i < accounts; i++) {
    const accountId = String(100_000_000_000 + i);
    for (let c = 0; c < i; c++) cases.push({ accountId, openedAt: new Date(NOW.getTime() - 40 * DAY) });
    for (let d = 30; d >= 0; d--) {
      summaries.push({
        scanId: 31 - d,
        scannedAt: new Date(NOW.getTime() - d * DAY),
        accountId,
        alias: alias(i),
        rootMfa: 'hardware',
        users: { pass: 10, fail: i, grace: 0, exempt: 0 },
        failing: i,
      });
    }
  }
  return { summaries, cases, now: NOW };
}

/** Pixels darker than light grey in a rectangle of an RGBA raster. */
function darkPixels(r: { width: number; pixels: Buffer }, x0: number, y0: number, x1: number, y1: number): number {
  let dark = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const i = (y * r.width + x) * 4;
      if (r.pixels[i]! < 100 && r.pixels[i + 1]! < 100 && r.pixels[i + 2]! < 100) dark += 1;
    }
  return dark;
}

describe('coverage chart', () => {
  it('has a title, axis titles with units, and one colour-blind-safe colour per account', async () => {
    const { svg, lines } = await coverageChartSvg(state(3));
    expect(svg).toContain('Console MFA coverage and open cases, last 90 days');
    expect(svg).toContain('MFA coverage (%)');
    expect(svg).toContain('Open cases (users)');
    expect(lines.map((l) => l.label)).toEqual(['acme-2', 'acme-1', 'acme-0']);
    for (const colour of ACCOUNT_COLOURS.slice(0, 3)) expect(svg.toLowerCase()).toContain(colour.toLowerCase());
    expect(svg).not.toContain(OTHERS_COLOUR);
  });

  it('draws at most 8 lines: the 7 accounts with the most open cases, and the rest summed in grey', async () => {
    const { svg, lines, accounts } = await coverageChartSvg(state(12));
    expect(accounts).toBe(12);
    expect(lines.map((l) => l.label)).toEqual([
      'acme-11',
      'acme-10',
      'acme-9',
      'acme-8',
      'acme-7',
      'acme-6',
      'acme-5',
      '5 other accounts',
    ]);
    expect(svg).toContain(OTHERS_COLOUR);
    expect(svg).toContain('The 7 with the most open cases; the rest summed');
  });

  it('writes an IAM-controlled alias as text, never as markup', async () => {
    const { svg } = await coverageChartSvg(state(1, () => '<script>alert(1)</script>&x'));
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&amp;x');
  });

  it('renders a PNG at twice the chart size, its text drawn with the bundled font and no system fonts', async () => {
    const { png, svg } = await coverageChartPng(state(3));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const width = Number(/width="(\d+)"/.exec(svg)?.[1]);
    expect(png.readUInt32BE(16)).toBe(width * 2);
    expect(width).toBeGreaterThanOrEqual(700);
    expect(width).toBeLessThanOrEqual(900);
    // The title's glyphs: dark pixels in the top-left band, where nothing but the title is drawn.
    const raster = await rasterize(svg);
    expect(darkPixels(raster, 0, 0, 800, 60)).toBeGreaterThan(2_000);
    const untitled = await rasterize(svg.replace(/<text[^>]*>Console MFA coverage[^<]*<\/text>/, ''));
    expect(darkPixels(untitled, 0, 0, 800, 60)).toBeLessThan(darkPixels(raster, 0, 0, 800, 60) / 2);
  });

  it('names the missing package and the fix where the renderer is not installed', async () => {
    const missing = 'mfa-bot-no-such-renderer';
    await expect(load(missing, () => import(missing))).rejects.toThrow(
      `the chart renderer's package ${missing} is not installed here: ` +
        'set digest.chart: off, or run the bot where `npm ci` installed it',
    );
  });

  it('reads the WebAssembly and fonts from MFA_BOT_CHART_ASSETS when set (the Lambda package: no node_modules)', () => {
    const installed = chartAssetPaths({});
    expect(installed.wasm).toMatch(/node_modules\/@resvg\/resvg-wasm\/index_bg\.wasm$/);
    expect(installed.fonts.map((f) => basename(f))).toEqual(['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf']);
    const packaged = chartAssetPaths({ MFA_BOT_CHART_ASSETS: '/var/task/.build/lambda/chart-assets' });
    expect(packaged).toEqual({
      wasm: '/var/task/.build/lambda/chart-assets/index_bg.wasm',
      fonts: [
        '/var/task/.build/lambda/chart-assets/DejaVuSans.ttf',
        '/var/task/.build/lambda/chart-assets/DejaVuSans-Bold.ttf',
      ],
    });
  });
});
