import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { SqliteStateStore } from '../../src/store/sqlite/sqlite-store.js';
import { ACCOUNT, DAY, failingUser, MONDAY_10, passingUser, scanOf } from '../domain/nudge-fixtures.js';
import { runHistory } from './history-cli.js';
import { joinedRegExp } from '../support/regexp.js';

let dir: string;
let configPath: string;
let statePath: string;
const hash = () => createHash('sha256').update(readFileSync(statePath)).digest('hex');

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mfa-history-'));
  statePath = join(dir, 'state.db');
  configPath = join(dir, 'c.yml');
  writeFileSync(configPath, `state: { path: ${JSON.stringify(statePath)} }\n`);
  const store = SqliteStateStore.open(statePath, { now: MONDAY_10 });
  await store.saveScan(scanOf([failingUser('=cmd'), failingUser('bob')]), new Map());
  await store.saveScan(
    scanOf([failingUser('=cmd'), passingUser('bob')], {}, new Date(MONDAY_10.getTime() + DAY)),
    new Map(),
  );
  await store.applyCaseChanges([
    { type: 'open', accountId: ACCOUNT, userName: 'bob', cycle: 1, status: 'fail', at: MONDAY_10 },
  ]);
  await store.snooze(ACCOUNT, 'bob', new Date(MONDAY_10.getTime() + DAY), { at: MONDAY_10, by: 'UBOB0000001' });
  await store.recordHelpRequest({
    accountId: ACCOUNT,
    userName: 'bob',
    slackUserId: 'UBOB0000001',
    at: new Date(MONDAY_10.getTime() + 3_600_000),
    channel: 'C0SECURITY1',
  });
  await store.applyCaseChanges([
    {
      type: 'resolve',
      key: { accountId: ACCOUNT, userName: 'bob', cycle: 1 },
      resolution: 'fixed',
      at: new Date(MONDAY_10.getTime() + DAY),
    },
  ]);
  await store.close();
});

describe('mfa-bot history', () => {
  it('shows compliance over time per account as a table, without changing the file', async () => {
    const before = hash();
    const r = await runHistory(['history', '--config', configPath]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2026-11-23 10:00 UTC');
    const secondScanRow = joinedRegExp(
      /│ 2026-11-24 10:00 UTC │ 111122223333 \(prod\) /,
      /│ 2 +│ 1 +│ 1 +│ 0 +│ 0 +│ 50\.0% +│/,
    );
    expect(r.stdout).toMatch(secondScanRow);
    expect(hash()).toBe(before);
    const last = await runHistory(['history', '--config', configPath, '--scans', '1', '--format', 'json']);
    expect(JSON.parse(last.stdout)).toMatchObject([{ scanId: 2, withMfa: 1, failing: 1, coverage: 50 }]);
    expect(
      (
        await runHistory(['history', '--config', configPath, '--account', '999999999999', '--format', 'json'])
      ).stdout.trim(),
    ).toBe('[]');
  });

  it("gives a user's nudge log: failing, snoozed, help requested, fixed", async () => {
    const r = await runHistory(['history', '--config', configPath, '--user', 'bob', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      'at,accountId,userName,cycle,event,detail',
      `2026-11-23T10:00:00.000Z,${ACCOUNT},bob,1,failing,first seen failing`,
      `2026-11-23T10:00:00.000Z,${ACCOUNT},bob,1,snoozed,until 2026-11-24T10:00:00.000Z by UBOB0000001`,
      `2026-11-23T11:00:00.000Z,${ACCOUNT},bob,,help requested,by UBOB0000001 in C0SECURITY1`,
      `2026-11-24T10:00:00.000Z,${ACCOUNT},bob,1,resolved,fixed: MFA is on`,
    ]);
    const nobody = await runHistory(['history', '--config', configPath, '--user', 'nobody']);
    expect(nobody.stdout).toBe('No nudge history for nobody: the bot has never seen this user failing.\n');
  });

  it('keeps spreadsheet formulas out of the CSV: an IAM name may start with =', async () => {
    const store = SqliteStateStore.open(statePath, { now: MONDAY_10 });
    await store.applyCaseChanges([
      { type: 'open', accountId: ACCOUNT, userName: '=cmd', cycle: 1, status: 'fail', at: MONDAY_10 },
    ]);
    await store.close();
    const csv = (await runHistory(['history', '--config', configPath, '--user', '=cmd', '--format', 'csv'])).stdout;
    expect(csv.split('\n')[1]).toBe(`2026-11-23T10:00:00.000Z,${ACCOUNT},'=cmd,1,failing,first seen failing`);
  });

  it('says where the state file should be when there is none, and refuses a bad account ID', async () => {
    writeFileSync(configPath, `state: { path: ${JSON.stringify(join(dir, 'none.db'))} }\n`);
    const r = await runHistory(['history', '--config', configPath]);
    expect(r.code).toBe(5);
    expect(r.stderr).toBe(
      `mfa-bot: no state file at ${join(dir, 'none.db')} (state.path): ` +
        `the first \`mfa-bot run\` or \`serve\` creates it\n`,
    );
    const bad = await runHistory(['history', '--config', configPath, '--account', '12345']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--account must be a 12-digit AWS account ID');
  });
});
