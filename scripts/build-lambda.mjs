// Bundles the Lambda entry points (src/lambda/*) into .build/lambda: ES modules for Node 20, shared code in
// chunks, every dependency inlined (so the package needs no node_modules). SQLite is not used on Lambda
// (state lives in DynamoDB): better-sqlite3, a native module, is replaced by a stub that says so if reached.
import { realpathSync } from 'node:fs';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const FUNCTIONS = ['slack', 'worker', 'scheduled', 'realtime'];
/** Under .build/lambda: the files the chart renderer reads (serverless.yml points MFA_BOT_CHART_ASSETS here). */
export const CHART_ASSETS = 'chart-assets';
const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}.build/lambda`;

/** Builds the four bundles into .build/lambda; returns their size in bytes before zipping. */
export async function buildLambda() {
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(FUNCTIONS.map((name) => [name, `src/lambda/${name}.ts`])),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    minify: true,
    legalComments: 'none',
    metafile: true,
    // debug (via Bolt) tries require('supports-color') inside a try: left out, it simply is not found.
    external: ['supports-color'],
    alias: { 'better-sqlite3': './scripts/lambda/sqlite-unavailable.cjs' },
    // Some bundled CommonJS dependencies call require() for Node built-ins.
    banner: {
      js:
        "import { createRequire as __mfaBotCreateRequire } from 'node:module'; " +
        'const require = __mfaBotCreateRequire(import.meta.url);',
    },
    logLevel: 'warning',
  });
  // The chart renderer's WebAssembly and fonts, read at run time from MFA_BOT_CHART_ASSETS (serverless.yml).
  await mkdir(`${outdir}/${CHART_ASSETS}`, { recursive: true });
  const require = createRequire(import.meta.url);
  const fontDir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  await copyFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm'), `${outdir}/${CHART_ASSETS}/index_bg.wasm`);
  for (const font of ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'])
    await copyFile(join(fontDir, font), `${outdir}/${CHART_ASSETS}/${font}`);
  // What went into the bundle, for the package test (outside the packaged directory).
  await writeFile(`${root}.build/lambda-meta.json`, JSON.stringify({ inputs: Object.keys(result.metafile.inputs) }));
  return Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
}

// `npm run build:lambda`; `osls package` and `osls deploy` call buildLambda() through scripts/osls-mfa-bot.mjs.
if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  // No top-level await: osls loads the plugin that imports this file with require().
  buildLambda().then(
    (bytes) =>
      console.log(
        `built ${FUNCTIONS.length} functions into .build/lambda (${(bytes / 1024).toFixed(0)} KiB before zip)`,
      ),
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
