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

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vl, vega] = await Promise.all([import('vega-lite'), import('vega')]);
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
  // Loaded on first use: a native module, absent from the Lambda bundle (the digest goes out without its chart).
  const { renderAsync } = await import('@resvg/resvg-js');
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
