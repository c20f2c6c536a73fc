import { createRequire } from 'node:module';
import path from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { CHART_FONT } from './coverage-spec.js';

/**
 * Vega-Lite → SVG (vega's headless view), SVG → PNG (resvg). Text is drawn only with the DejaVu Sans files
 * shipped in the dejavu-fonts-ttf package, never with system fonts, so the PNG is the same on every machine
 * (and a CI machine with no fonts at all still gets text).
 */

const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

function fontFiles(): string[] {
  const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return FONT_FILES.map((f) => path.join(dir, f));
}

/** The renderer's packages, loaded on first use; the Lambda package leaves them out (scripts/build-lambda.mjs). */
export async function load<T>(name: string, importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    throw new Error(
      `the chart renderer's package ${name} is not installed here (the Lambda package leaves it out): ` +
        'set digest.chart: off, or run the bot where `npm ci` installed it',
    );
  }
}

/**
 * Why this host cannot draw the chart (a package of the renderer is missing, or does not load), or undefined when
 * it can. Loads the packages, as the first chart would.
 */
export async function chartRendererMissing(): Promise<string | undefined> {
  try {
    await Promise.all([
      load('vega-lite', () => import('vega-lite')),
      load('vega', () => import('vega')),
      load('@resvg/resvg-js', () => import('@resvg/resvg-js')),
    ]);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vl, vega] = await Promise.all([
    load('vega-lite', () => import('vega-lite')),
    load('vega', () => import('vega')),
  ]);
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export interface Raster {
  png: Buffer;
  width: number;
  height: number;
  /** RGBA, row by row. */
  pixels: Buffer;
}

/** `scale` 2 draws an 800-wide chart 1600 pixels wide, for Slack's preview on high-density screens. */
export async function rasterize(svg: string, scale = 2): Promise<Raster> {
  const { renderAsync } = await load('@resvg/resvg-js', () => import('@resvg/resvg-js'));
  const image = await renderAsync(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: {
      loadSystemFonts: false,
      fontFiles: fontFiles(),
      defaultFontFamily: CHART_FONT,
      sansSerifFamily: CHART_FONT,
    },
    logLevel: 'off',
  });
  return { png: image.asPng(), width: image.width, height: image.height, pixels: image.pixels };
}

export async function renderPng(svg: string, scale = 2): Promise<Buffer> {
  return (await rasterize(svg, scale)).png;
}
