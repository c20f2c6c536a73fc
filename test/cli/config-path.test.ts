import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mfa-bot-cwd-'));
const empty = mkdtempSync(join(tmpdir(), 'mfa-bot-cwd-empty-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
});
writeFileSync(join(dir, 'mfa-bot.yml'), 'nudges: { enabled: true }\n');
const REPORT = resolve('test/fixtures/credential-report-crlf.csv');
const offlineDryRun = ['run', '--dry-run', '--credential-report', REPORT];
const STRAY =
  'mfa-bot: mfa-bot.yml is here, but neither --config nor MFA_BOT_CONFIG names it, so it is not used and every ' +
  'default applies: pass --config mfa-bot.yml, or set MFA_BOT_CONFIG=./mfa-bot.yml';

describe('a mfa-bot.yml in the working directory that nothing names', () => {
  it('is said on stderr, once, by a command run on the defaults (the set-up steps have one written)', async () => {
    const r = await runCli(offlineDryRun, { cwd: dir });
    expect(r.stderr.split('\n').filter((l) => l.includes('is here, but'))).toEqual([STRAY]);
    expect(r.stdout).toContain('Nudges are off (nudges.enabled: false)');
  });

  it.each([
    ['--config names it', [...offlineDryRun, '--config', join(dir, 'mfa-bot.yml')], {}],
    ['MFA_BOT_CONFIG names it', offlineDryRun, { MFA_BOT_CONFIG: join(dir, 'mfa-bot.yml') }],
  ])('is read, with no such line, when %s', async (_name, args, env) => {
    const r = await runCli(args, { cwd: dir, env });
    expect(r.stderr).not.toContain('is here, but');
    expect(r.stdout).not.toContain('Nudges are off');
  });

  it('is not mentioned where there is none', async () => {
    expect((await runCli(offlineDryRun, { cwd: empty })).stderr).not.toContain('is here, but');
  });
});
