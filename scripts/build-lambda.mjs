// Bundles the Lambda entry points (src/lambda/*) into .build/lambda: ES modules for Node 20, shared code in
// chunks, every dependency inlined (so the package needs no node_modules). SQLite is not used on Lambda
// (state lives in DynamoDB): better-sqlite3, a native module, is replaced by a stub that says so if reached.
import { realpathSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const FUNCTIONS = ['slack', 'worker', 'scheduled', 'realtime'];
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
    // The chart renderer (a native module, and vega at about 1 MB) would take the package past its 2 MB budget: left
    // out, so the digest's chart is not drawn on Lambda (render.ts says so; set digest.chart: off there).
    external: ['supports-color', '@resvg/resvg-js', 'vega', 'vega-lite'],
    alias: { 'better-sqlite3': './scripts/lambda/sqlite-unavailable.cjs' },
    // Some bundled CommonJS dependencies call require() for Node built-ins.
    banner: {
      js:
        "import { createRequire as __mfaBotCreateRequire } from 'node:module'; " +
        'const require = __mfaBotCreateRequire(import.meta.url);',
    },
    logLevel: 'warning',
  });
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
