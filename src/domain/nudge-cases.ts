import { identityKey } from './identity.js';
import {
  caseKeyOf,
  type CaseKey,
  type CaseResolution,
  type CaseStep,
  type LiveObservation,
  type MessageKind,
  type NudgeCase,
} from './ledger.js';
import { ROOT_PRINCIPAL, type AccountResult, type ScanResult, type Status, type Verdict } from './types.js';

export type CaseChange =
  | {
      type: 'open';
      accountId: string;
      userName: string;
      cycle: number;
      status: 'fail' | 'grace';
      at: Date;
      live?: LiveObservation;
    }
  | { type: 'resolve'; key: CaseKey; resolution: CaseResolution; at: Date };

const RESOLUTION: Partial<Record<Status, CaseResolution>> = {
  pass: 'fixed',
  not_applicable: 'no-console',
  exempt: 'exempt',
};

/** The last case of each user, keyed by identityKey(). */
export function latestCaseByUser(cases: readonly NudgeCase[]): Map<string, NudgeCase> {
  const latest = new Map<string, NudgeCase>();
  for (const c of cases) {
    const key = identityKey(c.accountId, c.userName);
    const seen = latest.get(key);
    if (!seen || c.cycle > seen.cycle) latest.set(key, c);
  }
  return latest;
}

/** Each console user's user-console-mfa verdict in the scan, keyed by identityKey(). */
export function consoleVerdicts(scan: ScanResult): Map<string, Verdict> {
  const out = new Map<string, Verdict>();
  for (const a of scan.accounts)
    for (const v of a.verdicts) if (v.check === 'user-console-mfa') out.set(identityKey(a.accountId, v.principal), v);
  return out;
}

/** What the scan knew as of: the credential report's time, which can be hours older than the scan. */
export function observedAt(account: AccountResult, scan: ScanResult): Date {
  return account.credentialReportGeneratedAt ?? scan.generatedAt;
}

/**
 * A case a live check opened is newer than a scan that observed its account before then: that scan's
 * verdict (or its silence, for a user created since) says nothing about the case.
 */
export function scanPredatesCase(account: AccountResult, scan: ScanResult, c: NudgeCase): boolean {
  return c.live !== undefined && observedAt(account, scan) <= c.openedAt;
}

/**
 * Opens a case for every console user the scan sees failing (or in grace) without one, and resolves the
 * open cases of users who are fine now. Accounts that could not be scanned are left alone: an unreadable
 * account says nothing about its users.
 *
 * A user resolved after the credential report was generated (e.g. by a live re-check from Slack) is not
 * reopened by that older report: AWS reuses a report for up to four hours, so it may not show the fix yet.
 * Likewise a case a live check opened after the report is not resolved by it, except by an exemption,
 * which comes from the config and not from the report.
 */
export function reconcileCases(scan: ScanResult, cases: readonly NudgeCase[], now: Date): CaseChange[] {
  const latest = latestCaseByUser(cases);
  const changes: CaseChange[] = [];
  for (const account of scan.accounts) {
    if (account.error) continue;
    const seen = new Set<string>();
    for (const v of account.verdicts) {
      if (v.check !== 'user-console-mfa' || v.principal === ROOT_PRINCIPAL) continue;
      const key = identityKey(account.accountId, v.principal);
      seen.add(key);
      const last = latest.get(key);
      const open = last && !last.resolvedAt ? last : undefined;
      if (v.status === 'fail' || v.status === 'grace') {
        if (open) continue;
        if (last?.resolvedAt && observedAt(account, scan) <= last.resolvedAt) continue;
        changes.push({
          type: 'open',
          accountId: account.accountId,
          userName: v.principal,
          cycle: (last?.cycle ?? 0) + 1,
          status: v.status,
          at: now,
        });
      } else if (open) {
        const resolution = RESOLUTION[v.status];
        if (resolution && (resolution === 'exempt' || !scanPredatesCase(account, scan, open)))
          changes.push({ type: 'resolve', key: caseKeyOf(open), resolution, at: now });
      }
    }
    for (const c of latest.values()) {
      if (
        c.accountId === account.accountId &&
        !c.resolvedAt &&
        !seen.has(identityKey(c.accountId, c.userName)) &&
        !scanPredatesCase(account, scan, c)
      ) {
        changes.push({ type: 'resolve', key: caseKeyOf(c), resolution: 'gone', at: now });
      }
    }
  }
  return changes;
}

/**
 * A live check (after a CloudTrail event) found one user failing or in grace: opens the next case for them
 * unless one is open, remembering what the check saw. Any other verdict opens nothing; resolving is the
 * re-check's own business (it thanks as it resolves).
 */
export function openFromLiveCheck(live: LiveObservation, cases: readonly NudgeCase[], now: Date): CaseChange[] {
  const { verdict } = live;
  if (verdict.check !== 'user-console-mfa' || verdict.principal === ROOT_PRINCIPAL) return [];
  if (verdict.status !== 'fail' && verdict.status !== 'grace') return [];
  const last = latestCaseByUser(
    cases.filter((c) => c.accountId === verdict.accountId && c.userName === verdict.principal),
  ).get(identityKey(verdict.accountId, verdict.principal));
  if (last && !last.resolvedAt) return [];
  return [
    {
      type: 'open',
      accountId: verdict.accountId,
      userName: verdict.principal,
      cycle: (last?.cycle ?? 0) + 1,
      status: verdict.status,
      at: now,
      live,
    },
  ];
}

/** How a live check (a button, a CloudTrail event) ends a case. */
export interface LiveCheckResolution {
  /** The app already replaced the nudge with a thank-you there, so no run sends another. */
  thanked?: { channel: string; ts: string };
  /** Default `fixed`; a live check may also find the console login or the user gone. */
  resolution?: Extract<CaseResolution, 'fixed' | 'no-console' | 'gone'>;
}

/** What closing a case after a live check records: the resolution, and the messages already sent in its place. */
export interface LiveCheckClosure {
  resolve: Extract<CaseChange, { type: 'resolve' }>;
  /** Recorded as sent at `resolve.at`, each only if its step has no record yet. */
  sent: Array<{ step: CaseStep; kind: MessageKind; recipient: string; channel: string; ts: string }>;
}

/**
 * The open case `key` after a live check found it over: resolved (as fixed unless the check says otherwise);
 * with `thanked`, the nudge's update and the thank-you both count as sent where the app replaced the nudge.
 */
export function closeAfterLiveCheck(key: CaseKey, at: Date, options: LiveCheckResolution = {}): LiveCheckClosure {
  const { thanked } = options;
  const steps = thanked ? (['resolved-update', 'thank-you'] as const) : [];
  return {
    resolve: { type: 'resolve', key, resolution: options.resolution ?? 'fixed', at },
    sent: steps.map((step) => ({
      step,
      kind: step,
      recipient: thanked!.channel,
      channel: thanked!.channel,
      ts: thanked!.ts,
    })),
  };
}

/** The cases as they would be once `changes` are applied: what a dry run plans with, writing nothing. */
export function withCaseChanges(cases: readonly NudgeCase[], changes: readonly CaseChange[]): NudgeCase[] {
  const next = [...cases];
  for (const c of changes) {
    if (c.type === 'open') {
      if (
        next.some(
          (x) => x.accountId === c.accountId && x.userName === c.userName && (x.cycle === c.cycle || !x.resolvedAt),
        )
      )
        continue;
      next.push({
        accountId: c.accountId,
        userName: c.userName,
        cycle: c.cycle,
        openedAt: c.at,
        openedStatus: c.status,
        messages: [],
        ...(c.live ? { live: c.live } : {}),
      });
    } else {
      const i = next.findIndex(
        (x) =>
          x.accountId === c.key.accountId && x.userName === c.key.userName && x.cycle === c.key.cycle && !x.resolvedAt,
      );
      if (i >= 0) next[i] = { ...next[i]!, resolvedAt: c.at, resolution: c.resolution };
    }
  }
  return next;
}

/**
 * What became of the DM for a user a live check found failing or in grace:
 * - sent: the nudge (or the reminder that was due) went out now;
 * - waiting: it is due, but outside the person's working hours: the nudge pass sends it then;
 * - not-due: the user was nudged already and the next reminder is not due yet;
 * - unmapped: no Slack user matches the IAM user, so nobody can be told by DM;
 * - off: nudges.enabled is false;
 * - failed: Slack refused it (the nudge pass tries again).
 */
export type LiveNudgeOutcome = 'sent' | 'waiting' | 'not-due' | 'unmapped' | 'off' | 'failed';
