import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageKind } from '../../../src/domain/ledger.js';
import { ENFORCED_STEP, LIFTED_STEP } from '../../../src/domain/enforcement/steps.js';
import { SqliteStateStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { StateStore } from '../../../src/store/store.js';
import { failingUser, passingUser } from '../../slack/blocks/factories.js';

/** An IAM name (or tag) that would be markup if the report did not escape it. */
export const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
export const PROD = '111122223333';
export const DEV = '444455556666';
const DAY = 86_400_000;
/** The report is made at this time: 30 days of scans lead up to it. */
export const REPORT_NOW = new Date('2026-12-01T12:00:00Z');
const day = (d: number) => new Date(REPORT_NOW.getTime() - d * DAY);

async function sendStep(
  store: StateStore,
  accountId: string,
  userName: string,
  step: string,
  at: Date,
  kind: MessageKind = 'nudge',
): Promise<void> {
  const claimId = `claim-${accountId}-${userName}-${step}`;
  const recipient = kind === 'escalation' ? 'C0SECURITY1' : 'U0PERSON001';
  await store.claim({
    key: { type: 'case', case: { accountId, userName, cycle: 1 }, step },
    kind,
    recipient,
    claimId,
    at,
  });
  await store.markSent(claimId, { at, channel: kind === 'escalation' ? recipient : 'D0PERSON001', ts: '1.0001' });
}

/**
 * A state file with 30 daily scans of two accounts and a ledger that has every kind of line: nudges, reminders,
 * a snooze, a help request, an escalation, enforcement and its lifting, fixes; and a hostile IAM user name.
 * Returns the config file's path.
 */
export async function writeEvidenceState(): Promise<{ dir: string; configPath: string; statePath: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'mfa-evidence-'));
  const statePath = join(dir, 'state.db');
  const configPath = join(dir, 'mfa-bot.yml');
  writeFileSync(
    configPath,
    [
      `state: { path: ${JSON.stringify(statePath)} }`,
      'slack:',
      '  routes:',
      `    - { channel: C0PLATFORM1, accounts: ["${DEV}"] }`,
      'exemptions:',
      `  - { account: "${PROD}", principal: breakglass, reason: "sealed envelope <b>in the safe</b>",`,
      `      expires: ${day(-10).toISOString().slice(0, 10)}, approvedBy: "Jane Doe (CISO)" }`,
      '',
    ].join('\n'),
  );
  const store = SqliteStateStore.open(statePath, { now: day(30) });
  const fixedOn = { ann: 20, bob: 5, cid: 2 } as const;
  for (let d = 30; d >= 0; d--) {
    const scannedAt = day(d);
    const fixed = (name: keyof typeof fixedOn) => d <= fixedOn[name];
    const prod = [
      (fixed('ann') ? passingUser : failingUser)('ann', PROD),
      (fixed('bob') ? passingUser : failingUser)('bob', PROD),
      failingUser(HOSTILE_NAME, PROD),
      passingUser('eve', PROD),
    ];
    const dev = [(fixed('cid') ? passingUser : failingUser)('cid', DEV), failingUser('dan', DEV)];
    const accounts = [
      { accountId: PROD, alias: 'acme-prod', verdicts: prod },
      { accountId: DEV, alias: 'acme-dev', verdicts: dev },
    ].map((a) => ({
      ...a,
      partition: 'aws' as const,
      rootMfa: 'hardware' as const,
      credentialReportGeneratedAt: scannedAt,
    }));
    await store.saveScan({ generatedAt: scannedAt, accounts }, new Map());
  }
  const open = (accountId: string, userName: string, at: Date) =>
    ({ type: 'open', accountId, userName, cycle: 1, status: 'fail', at }) as const;
  await store.applyCaseChanges([
    open(PROD, 'ann', day(30)),
    open(PROD, 'bob', day(30)),
    open(PROD, HOSTILE_NAME, day(30)),
    open(DEV, 'cid', day(30)),
    open(DEV, 'dan', day(30)),
  ]);
  // ann: fixed after the first nudge.
  await sendStep(store, PROD, 'ann', 'nudge-1', day(29));
  // bob: nudged, reminded, snoozed, asked for help, escalated; fixed.
  await sendStep(store, PROD, 'bob', 'nudge-1', day(29));
  await sendStep(store, PROD, 'bob', 'nudge-2', day(27));
  await store.snooze(PROD, 'bob', day(25), { at: day(26), by: 'U0PERSON001' });
  await store.recordHelpRequest({ accountId: PROD, userName: 'bob', slackUserId: 'U0PERSON001', at: day(24) });
  await sendStep(store, PROD, 'bob', 'nudge-3', day(20));
  await sendStep(store, PROD, 'bob', 'escalation', day(20), 'escalation');
  // The hostile name: nudged three times and escalated, still failing: overdue.
  for (const [n, d] of [
    [1, 29],
    [2, 27],
    [3, 24],
  ] as const)
    await sendStep(store, PROD, HOSTILE_NAME, `nudge-${n}`, day(d));
  await sendStep(store, PROD, HOSTILE_NAME, 'escalation', day(24), 'escalation');
  // cid: enforced, then lifted when MFA went on.
  await sendStep(store, DEV, 'cid', 'nudge-1', day(29));
  await sendStep(store, DEV, 'cid', ENFORCED_STEP, day(10), 'enforced');
  await sendStep(store, DEV, 'cid', LIFTED_STEP, day(2), 'lifted');
  const resolve = (accountId: string, userName: string, at: Date) =>
    ({ type: 'resolve', key: { accountId, userName, cycle: 1 }, resolution: 'fixed', at }) as const;
  await store.applyCaseChanges([
    resolve(PROD, 'ann', day(fixedOn.ann)),
    resolve(PROD, 'bob', day(fixedOn.bob)),
    resolve(DEV, 'cid', day(fixedOn.cid)),
  ]);
  // dan: exempted in Slack by an approver (the Exempt… button), with a reason that is markup.
  await store.grantExemption({
    account: DEV,
    principal: 'dan',
    reason: 'on leave <script>alert(2)</script>',
    expires: day(-20),
    grantedBy: 'U0APPROVER1',
    grantedAt: day(3),
  });
  await store.close();
  return { dir, configPath, statePath };
}
