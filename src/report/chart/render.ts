import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { CHART_FONT } from './coverage-spec.js';

/**
 * Vega-Lite → SVG (vega's headless view), SVG → PNG (resvg, as WebAssembly: one build for x86 and arm64 Lambda
 * alike). Text is drawn only with the DejaVu Sans files shipped in the dejavu-fonts-ttf package, never with system
 * fonts, so the PNG is the same on every machine (and a CI machine with no fonts at all still gets text).
 */

const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];
export const WASM_FILE = 'index_bg.wasm';

/**
 * Where resvg's WebAssembly and the fonts are: the directory MFA_BOT_CHART_ASSETS names (the Lambda package, whose
 * bundles have no node_modules; scripts/build-lambda.mjs copies the files there), else the installed packages.
 */
export function chartAssetPaths(env: NodeJS.ProcessEnv = process.env): { wasm: string; fonts: string[] } {
  const dir = env.MFA_BOT_CHART_ASSETS;
  if (dir) return { wasm: path.resolve(dir, WASM_FILE), fonts: FONT_FILES.map((f) => path.resolve(dir, f)) };
  const require = createRequire(import.meta.url);
  const fontDir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return {
    wasm: require.resolve(`@resvg/resvg-wasm/${WASM_FILE}`),
    fonts: FONT_FILES.map((f) => path.join(fontDir, f)),
  };
}

let resvg: Promise<{ Resvg: typeof import('@resvg/resvg-wasm').Resvg; fonts: Uint8Array[] }> | undefined;

/** resvg's WebAssembly may be initialised once per process: every chart shares this. */
function loadResvg() {
  resvg ??= (async () => {
    const { wasm, fonts } = chartAssetPaths();
    const [mod, wasmBytes, ...fontBytes] = await Promise.all([
      load('@resvg/resvg-wasm', () => import('@resvg/resvg-wasm')),
      readAsset(wasm),
      ...fonts.map(readAsset),
    ]);
    await mod.initWasm(wasmBytes);
    return { Resvg: mod.Resvg, fonts: fontBytes };
  })();
  resvg.catch(() => {
    resvg = undefined;
  });
  return resvg;
}

async function readAsset(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new Error(`the chart renderer cannot read ${file}: ${(err as Error).message}`);
  }
}

/** The renderer's packages, loaded on first use. */
export async function load<T>(name: string, importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    throw new Error(
      `the chart renderer's package ${name} is not installed here: ` +
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
    await Promise.all([load('vega-lite', () => import('vega-lite')), load('vega', () => import('vega')), loadResvg()]);
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
  const { Resvg, fonts } = await loadResvg();
  const renderer = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { fontBuffers: fonts, defaultFontFamily: CHART_FONT, sansSerifFamily: CHART_FONT },
  });
  try {
    const image = renderer.render();
    try {
      return {
        png: Buffer.from(image.asPng()),
        width: image.width,
        height: image.height,
        pixels: Buffer.from(image.pixels),
      };
    } finally {
      image.free();
    }
  } finally {
    renderer.free();
  }
}

export async function renderPng(svg: string, scale = 2): Promise<Buffer> {
  return (await rasterize(svg, scale)).png;
}
