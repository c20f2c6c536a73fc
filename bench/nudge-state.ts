// The state the nudge and report benchmarks run on: N tracked users in 10 accounts, one scan a day, and the nudge
// passes a real deployment would have run in between (two a day), with Slack a no-op that answers at once.
import { statSync } from 'node:fs';
import { parseConfig } from '../src/config/load.js';
import { verdictOf } from '../src/domain/checks/check.js';
import { rootMfa } from '../src/domain/checks/root-mfa.js';
import { userConsoleMfa } from '../src/domain/checks/user-console-mfa.js';
import { identityKey, type SlackIdentity } from '../src/domain/identity.js';
import { ROOT_PRINCIPAL, type AccountResult, type ScanResult } from '../src/domain/types.js';
import { runNudgePass, type NudgePassResult } from '../src/jobs/nudge-pass.js';
import type { SendOptions, SlackApi } from '../src/slack/api.js';
import { SqliteStateStore } from '../src/store/sqlite/sqlite-store.js';

export const DAY = 86_400_000;
/** A Monday. */
export const START = Date.parse('2026-11-02T10:00:00Z');
const ACCOUNTS = 10;
const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Europe/London',
];
export const benchConfig = (path: string) =>
  parseConfig({ slack: { digestChannel: 'C0DIGEST001' }, nudges: { enabled: true }, state: { path } });

/**
 * Answers like Slack at once: what is measured is mfa-bot's own work. Like the real facade it runs `beforeSend`
 * (where the claim is made) before each post and update: without it nothing would reach the ledger.
 */
function noopSlack(): SlackApi {
  let n = 0;
  const ts = () => `${1_800_000_000 + ++n}.000100`;
  return {
    postMessage: async (a: { channel: string }, options: SendOptions = {}) => {
      await options.beforeSend?.();
      return { ok: true, channel: a.channel.startsWith('U') ? `D${a.channel.slice(1)}` : a.channel, ts: ts() };
    },
    update: async (a: { channel: string; ts: string }, options: SendOptions = {}) => {
      await options.beforeSend?.();
      return { ok: true, channel: a.channel, ts: a.ts };
    },
    conversationsOpen: async (u: string) => ({ ok: true, channel: { id: `D${u.slice(1)}` } }),
    conversationsHistory: async () => ({ ok: true, messages: [], has_more: false }),
    uploadFile: async () => ({ ok: true }),
    authTest: async () => ({ ok: true }),
  } as unknown as SlackApi;
}

const userName = (i: number) => `user-${String(i).padStart(5, '0')}`;
const accountOf = (i: number) => String(100000000000 + (i % ACCOUNTS));

/** On which day (from 0) user i turns MFA on; undefined: never. */
export type FixDay = (i: number) => number | undefined;

/** The nudge benchmark's people: user i fails from day i % 7; every third user turns MFA on at day 7 + i % 6. */
export const everyThirdFixesInTheSecondWeek: FixDay = (i) => (i % 3 === 0 ? 7 + (i % 6) : undefined);

/** Who fails on day d: user i from day i % 7 until their fix day. */
export function scanOfDay(users: number, d: number, fixDay: FixDay, start = START): ScanResult {
  const at = new Date(start + d * DAY - 3_600_000);
  const accounts: AccountResult[] = Array.from({ length: ACCOUNTS }, (_, a) => ({
    accountId: accountOf(a),
    partition: 'aws',
    alias: `team-${a}`,
    credentialReportGeneratedAt: at,
    rootMfa: 'hardware',
    rootCredentialsPresent: true,
    verdicts: [
      verdictOf(
        rootMfa,
        { accountId: accountOf(a) },
        ROOT_PRINCIPAL,
        `arn:aws:iam::${accountOf(a)}:root`,
        'pass',
        'The root user has MFA.',
      ),
    ],
  }));
  for (let i = 0; i < users; i++) {
    const fixedOn = fixDay(i);
    const failing = d >= i % 7 && !(fixedOn !== undefined && d >= fixedOn);
    const accountId = accountOf(i);
    const arn = `arn:aws:iam::${accountId}:user/${userName(i)}`;
    const v = failing
      ? verdictOf(
          userConsoleMfa,
          { accountId },
          userName(i),
          arn,
          'fail',
          'Console password without MFA: the password alone opens this login.',
        )
      : verdictOf(userConsoleMfa, { accountId }, userName(i), arn, 'pass', 'Console password with MFA enabled.');
    accounts[i % ACCOUNTS]!.verdicts.push(v);
  }
  return { generatedAt: at, accounts };
}

function identitiesFor(users: number): Map<string, SlackIdentity> {
  return new Map(
    Array.from({ length: users }, (_, i) => [
      identityKey(accountOf(i), userName(i)),
      { slackUserId: `U${String(i).padStart(9, '0')}`, via: 'email-tag' as const, tz: ZONES[i % ZONES.length]! },
    ]),
  );
}

export async function nudgePass(path: string, now: number): Promise<NudgePassResult> {
  const store = SqliteStateStore.open(path, { now: new Date(now) });
  try {
    return await runNudgePass({ store, slack: noopSlack(), config: benchConfig(path), now: () => new Date(now) });
  } finally {
    await store.close();
  }
}

/**
 * Saves one scan a day for `scans` days from `start` (default START), each followed by two nudge passes (10:00
 * and 20:00 UTC, which reach people in every zone's working hours). With `keepScans`, old scans lose their verdicts
 * after each save, as `state.keepScans` does in `run` and `serve`. Returns the ledger messages sent.
 */
export async function buildNudgeState(
  path: string,
  options: { users: number; scans: number; fixDay: FixDay; keepScans?: number; start?: number },
): Promise<number> {
  const identities = identitiesFor(options.users);
  const start = options.start ?? START;
  let history = 0;
  for (let d = 0; d < options.scans; d++) {
    const store = SqliteStateStore.open(path);
    await store.saveScan(scanOfDay(options.users, d, options.fixDay, start), identities);
    if (options.keepScans) await store.pruneScans(options.keepScans);
    await store.close();
    for (const hour of [0, 10])
      history += (await nudgePass(path, start + d * DAY + hour * 3_600_000)).outcome?.messages.length ?? 0;
  }
  return history;
}

/** The SQLite file and its write-ahead log, in bytes. */
export function stateFileBytes(path: string): number {
  const size = (p: string) => {
    try {
      return statSync(p).size;
    } catch {
      return 0;
    }
  };
  return size(path) + size(`${path}-wal`);
}
