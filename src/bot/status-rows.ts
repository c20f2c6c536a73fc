import { USER_CHECK_IDS } from '../domain/evaluate-user.js';
import { observedAt, scanPredatesCase } from '../domain/nudge-cases.js';
import type { Partition, ScanResult } from '../domain/types.js';
import { mapLimit } from '../util/map-limit.js';
import type { NudgeAccount } from '../slack/blocks/format.js';
import type { UserStatusRow } from '../slack/blocks/user-status.js';
import type { BotPorts, IamUserRef, LiveCheckRecord, UserCheckResult } from './ports.js';

/** At most this many live checks per question, a few at a time: each is three IAM calls. */
export const MAX_LIVE_CHECKS = 20;
const LIVE_CONCURRENCY = 4;

export function accountOf(scan: ScanResult | undefined, accountId: string, partition?: Partition): NudgeAccount {
  const a = scan?.accounts.find((x) => x.accountId === accountId);
  return {
    accountId,
    partition: a?.partition ?? partition ?? 'aws',
    ...(a?.alias ? { alias: a.alias } : {}),
    ...(a?.name ? { name: a.name } : {}),
  };
}

/** The rows of these IAM users as the latest scan saw them; users the scan does not have are left out. */
export function scanRows(scan: ScanResult, refs: readonly IamUserRef[]): UserStatusRow[] {
  return refs.flatMap((ref) => {
    const account = scan.accounts.find((a) => a.accountId === ref.accountId);
    const verdicts = account?.verdicts.filter((v) => v.principal === ref.userName && USER_CHECK_IDS.has(v.check)) ?? [];
    return verdicts.length ? [{ account: accountOf(scan, ref.accountId), userName: ref.userName, verdicts }] : [];
  });
}

/** What a live check saw, worth keeping: a failed check says nothing about the user. */
export function liveRecordOf(result: UserCheckResult): LiveCheckRecord | undefined {
  const { accountId, userName, checkedAt } = result;
  if (result.kind === 'checked')
    return { accountId, userName, checkedAt, found: true, partition: result.partition, verdicts: result.verdicts };
  if (result.kind === 'not-found') return { accountId, userName, checkedAt, found: false, verdicts: [] };
  return undefined;
}

/**
 * Rows from the scan, with what a live check saw in their place where it looked after the scan's credential
 * report (which AWS reuses for up to four hours): the "check again" button, `--fresh`, or a CloudTrail event
 * (which may have opened a case and nudged the person). The person was answered, thanked or nudged on that,
 * so every later answer and the App Home must agree, until a scan observes the account again.
 */
export async function withLiveResults(
  ports: BotPorts,
  scan: ScanResult,
  refs: readonly IamUserRef[],
  rows: UserStatusRow[],
): Promise<UserStatusRow[]> {
  const out = [...rows];
  for (const ref of refs) {
    const account = scan.accounts.find((a) => a.accountId === ref.accountId);
    const seenAfterScan = (at: Date) => !account || at >= observedAt(account, scan);
    let row: UserStatusRow | undefined;
    const c = ports.openCase ? await ports.openCase(ref) : undefined;
    if (c?.live && (!account || scanPredatesCase(account, scan, c))) {
      row = {
        account: accountOf(scan, ref.accountId),
        userName: ref.userName,
        verdicts: [c.live.verdict],
        seenLiveAt: c.openedAt,
        seenLiveAfterChange: true,
      };
    }
    const live = ports.liveCheck ? await ports.liveCheck(ref) : undefined;
    if (live && seenAfterScan(live.checkedAt) && (!row?.seenLiveAt || live.checkedAt >= row.seenLiveAt)) {
      row = {
        account: accountOf(scan, ref.accountId, live.partition),
        userName: ref.userName,
        verdicts: live.verdicts,
        ...(live.found ? {} : { missing: true }),
        seenLiveAt: live.checkedAt,
        // The check that opened the case after a CloudTrail event is this one.
        ...(row?.seenLiveAt?.getTime() === live.checkedAt.getTime() ? { seenLiveAfterChange: true } : {}),
      };
    }
    if (!row) continue;
    const at = out.findIndex((r) => r.account.accountId === ref.accountId && r.userName === ref.userName);
    if (at >= 0) out[at] = row;
    else out.push(row);
  }
  return out;
}

export function liveRow(result: UserCheckResult, scan: ScanResult | undefined): UserStatusRow {
  const base = { userName: result.userName };
  switch (result.kind) {
    case 'checked':
      return { ...base, account: accountOf(scan, result.accountId, result.partition), verdicts: result.verdicts };
    case 'not-found':
      return { ...base, account: accountOf(scan, result.accountId), verdicts: [], missing: true };
    case 'error':
      return {
        ...base,
        account: accountOf(scan, result.accountId),
        verdicts: [],
        problem: `${result.error.code}: ${result.error.message}`,
      };
  }
}

export async function liveRows(
  ports: BotPorts,
  refs: readonly IamUserRef[],
  scan: ScanResult | undefined,
): Promise<UserStatusRow[]> {
  const results = await mapLimit(refs.slice(0, MAX_LIVE_CHECKS), LIVE_CONCURRENCY, (ref) => ports.recheck(ref));
  return results.map((r) => liveRow(r, scan));
}

/** Adds the Slack user each row maps to, for admin answers. */
export async function withPeople(ports: BotPorts, rows: UserStatusRow[]): Promise<UserStatusRow[]> {
  return Promise.all(
    rows.map(async (row) => {
      const identity = await ports.slackIdentityOf({ accountId: row.account.accountId, userName: row.userName });
      return identity ? { ...row, slackUserId: identity.slackUserId } : row;
    }),
  );
}
