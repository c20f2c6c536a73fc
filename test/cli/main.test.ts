import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import { failingUser, MONDAY_10, scanOf } from '../domain/nudge-fixtures.js';

const MAIN = pathToFileURL(resolve('src/cli/main.ts')).href;
let dir: string;
let configPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mfa-main-'));
  // A module hook that names on stderr every package the CLI's process resolves.
  writeFileSync(
    join(dir, 'hooks.mjs'),
    "import { writeSync } from 'node:fs';\n" +
      'export async function resolve(specifier, context, next) {\n' +
      '  const resolved = await next(specifier, context);\n' +
      "  if (resolved.url.includes('/node_modules/')) writeSync(2, `RESOLVED ${resolved.url}\\n`);\n" +
      '  return resolved;\n' +
      '}\n',
  );
  writeFileSync(
    join(dir, 'register.mjs'),
    `import { register } from 'node:module';\n` +
      `register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`,
  );
  const statePath = join(dir, 'state.db');
  configPath = join(dir, 'c.yml');
  writeFileSync(configPath, `state: { path: ${JSON.stringify(statePath)} }\n`);
  const store = SqliteStateStore.open(statePath, { now: MONDAY_10 });
  await store.saveScan(scanOf([failingUser('bob')]), new Map());
  await store.close();
});

/** The packages `mfa-bot ARGS` loads, in a process of its own. */
function packagesLoaded(args: string[]): Promise<{ code: number; packages: string[] }> {
  const script = `const { main } = await import(${JSON.stringify(MAIN)}); process.exitCode = await main(process.argv);`;
  const argv = ['--import', 'tsx', '--import', join(dir, 'register.mjs'), '--input-type=module', '-e', script];
  return new Promise((done) => {
    execFile(process.execPath, [...argv, 'mfa-bot', ...args], { timeout: 60_000 }, (err, _stdout, stderr) => {
      const urls = [...stderr.matchAll(/^RESOLVED (.*)$/gm)].map((m) => m[1]!);
      const packages = urls.map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)![1]!);
      done({ code: err ? Number((err as { code?: unknown }).code) : 0, packages: [...new Set(packages)] });
    });
  });
}

describe('the CLI loads only the command it runs', () => {
  it('report and history load neither the AWS SDK nor Slack', async () => {
    for (const args of [['report'], ['history']]) {
      const run = await packagesLoaded([...args, '--config', configPath]);
      expect(run.code).toBe(0);
      expect(run.packages).toContain('better-sqlite3');
      expect(run.packages.filter((p) => /^@aws-sdk\/|^@slack\//.test(p))).toEqual([]);
    }
  });

  it('--help still lists every command', async () => {
    const run = await packagesLoaded(['--help']);
    expect(run.code).toBe(0);
    expect(run.packages).toContain('@slack/bolt');
  });
});
