import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { chromiumMissing, launchChromium } from './browser.js';
import { HOSTILE_NAME, PROD, REPORT_NOW, writeEvidenceState } from './evidence-state.js';

const missing = chromiumMissing();
if (missing) console.warn(`Skipping the evidence report's browser test: ${missing}`);

/** One principal's section as rendered (cells apart). */
async function principalText(page: Page, userName: string): Promise<string> {
  const section = page.locator('article.principal', { has: page.locator('h3 code', { hasText: userName }) });
  return (await section.allInnerTexts()).join('\n');
}

/** The report of the evidence state, as `mfa-bot report --format html` writes it, open in headless Chromium. */
describe.skipIf(missing !== undefined)('mfa-bot report --format html, in a real browser', () => {
  let browser: BrowserContext;
  let page: Page;
  let screenshot: string;
  const requests: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    const { dir, configPath } = await writeEvidenceState();
    const r = await runCli(['report', '--config', configPath, '--format', 'html', '--since', '90d'], {
      now: REPORT_NOW,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const file = join(dir, 'evidence.html');
    writeFileSync(file, r.stdout);
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('request', (req) => requests.push(req.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    screenshot = join(dir, 'evidence.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    // EVIDENCE_SCREENSHOT=docs/evidence-report.png keeps a screenshot for the README: down to the third timeline.
    if (process.env.EVIDENCE_SCREENSHOT) {
      const third = await page.locator('article.principal').nth(2).boundingBox();
      const height = Math.ceil((third?.y ?? 0) + (third?.height ?? 900));
      const clip = { x: 0, y: 0, width: 1200, height };
      await page.screenshot({ path: process.env.EVIDENCE_SCREENSHOT, fullPage: true, clip });
    }
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('loads nothing but itself: no external asset, script or request', async () => {
    expect(requests).toEqual([page.url()]);
    expect(await page.locator('script, link, iframe, object, embed').count()).toBe(0);
  });

  it('shows a hostile IAM user name as text, not markup: no img element, no dialog', async () => {
    expect(await page.locator('img').count()).toBe(0);
    const heading = page.locator('article.principal h3', { hasText: HOSTILE_NAME });
    await expect.poll(() => heading.count()).toBe(1);
    expect(await heading.locator('code').first().textContent()).toBe(HOSTILE_NAME);
    // The exemption's reason carries <b>…</b>: shown as written, not bold.
    expect(await page.getByText('sealed envelope <b>in the safe</b>', { exact: false }).count()).toBeGreaterThan(0);
    expect(await page.locator('b', { hasText: 'in the safe' }).count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('shows the coverage chart inline, with a size and both accounts in its legend', async () => {
    const chart = page.locator('#coverage-chart svg');
    expect(await chart.count()).toBe(1);
    expect(await chart.isVisible()).toBe(true);
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(box?.height).toBeGreaterThan(200);
    const labels = await chart.locator('text').allTextContents();
    expect(labels).toEqual(expect.arrayContaining(['acme-prod', 'acme-dev']));
  });

  it('shows the scope and the headline figures', async () => {
    const scope = (await page.locator('#scope').allInnerTexts()).join('\n');
    expect(scope).toContain(PROD);
    expect(scope).toContain('acme-prod');
    expect(scope).toContain('Security Hub IAM.5');
    expect(scope).toContain('user-console-mfa');
    const cards = await page.locator('#headline .card').allInnerTexts();
    expect(cards.map((c) => c.replace(/\s+/g, ' '))).toEqual([
      'Console MFA coverage now 66.7%',
      'Open cases 2',
      'Time to MFA, median 25.0 d',
      'Time to MFA, p90 28.0 d',
      'Overdue cases 1',
      'Exemptions expiring in 30 days 2',
    ]);
  });

  it('gives each principal a timeline whose every line names its ledger record', async () => {
    const bob = page.locator('article.principal', { has: page.locator('h3 code', { hasText: /^bob$/ }) });
    const rows = await bob
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(rows.map(([, event]) => event)).toEqual([
      'failing',
      'nudged',
      'nudged',
      'snoozed',
      'help requested',
      'nudged',
      'escalated',
      'resolved',
    ]);
    for (const [, , , ref] of rows) expect(ref).toMatch(/^(case 111122223333\/bob#1|help request )/);
    expect(rows[1]![2]).toBe('first nudge, DM to U0PERSON001 in D0PERSON001 (ts 1.0001)');
    expect(rows[1]![3]).toBe('case 111122223333/bob#1 step nudge-1, claim claim-111122223333-bob-nudge-1');
    const cid = await principalText(page, 'cid');
    expect(cid).toMatch(/enforced\s+require-MFA policy attached/);
    expect(cid).toMatch(/lifted\s+require-MFA policy detached/);
    const breakglass = await principalText(page, 'breakglass');
    expect(breakglass).toContain('approved by Jane Doe (CISO)');
    expect(breakglass).toContain('config exemptions[0]');
    const dan = await principalText(page, 'dan');
    expect(dan).toContain('Exemption: on leave <script>alert(2)</script>; approved by U0APPROVER1');
    expect(dan).toContain(
      `granted in Slack by U0APPROVER1 at ${new Date(REPORT_NOW.getTime() - 3 * 86_400_000).toISOString()}`,
    );
  });
});
