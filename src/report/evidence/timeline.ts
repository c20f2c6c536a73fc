import { identityKey } from '../../domain/identity.js';
import type { NudgeCase } from '../../domain/ledger.js';
import type { ListedExemption } from '../../domain/metrics/evidence-metrics.js';
import type { Status } from '../../domain/types.js';
import type { HelpRequest, SnoozeRecord } from '../../store/store.js';
import { nudgeLog, type NudgeLogEntry } from '../nudge-log.js';

/** One IAM user's evidence: what the bot did about them within the window, line by line from the ledger. */
export interface PrincipalTimeline {
  accountId: string;
  userName: string;
  /** The console-MFA status in the latest scan. */
  statusNow?: Status;
  exemptions: ListedExemption[];
  /**
   * The lines, oldest first (nudgeLog of this user's cases, snoozes and help requests). Made when asked for, so
   * a report of thousands of users holds one user's lines at a time, never every line of the ledger at once.
   */
  entries(): NudgeLogEntry[];
}

export interface TimelineInput {
  since: Date;
  now: Date;
  cases: readonly NudgeCase[];
  snoozes: readonly SnoozeRecord[];
  helpRequests: readonly HelpRequest[];
  exemptions: readonly ListedExemption[];
  statuses: ReadonlyMap<string, Status>;
}

const caseId = (accountId: string, userName: string, cycle: number | undefined) =>
  `${identityKey(accountId, userName)}#${cycle}`;

interface Sources {
  cases: NudgeCase[];
  snoozes: SnoozeRecord[];
  helpRequests: HelpRequest[];
}

/**
 * Every IAM user with a case open at some time in the window, or an exemption in force in it; each with the
 * whole story of those cases (a case opened before the window is shown from its start). Ordered by account, then
 * user name.
 */
export function principalTimelines(input: TimelineInput): PrincipalTimeline[] {
  const cases = input.cases.filter((c) => c.openedAt <= input.now && (!c.resolvedAt || c.resolvedAt >= input.since));
  const shown = new Set(cases.map((c) => caseId(c.accountId, c.userName, c.cycle)));
  const principals = new Map<string, PrincipalTimeline>();
  const sources = new Map<string, Sources>();
  const principal = (accountId: string, userName: string) => {
    const key = identityKey(accountId, userName);
    let p = principals.get(key);
    if (!p) {
      const statusNow = input.statuses.get(key);
      const own: Sources = { cases: [], snoozes: [], helpRequests: [] };
      sources.set(key, own);
      p = {
        accountId,
        userName,
        ...(statusNow ? { statusNow } : {}),
        exemptions: [],
        entries: () => nudgeLog(own.cases, own.snoozes, own.helpRequests),
      };
      principals.set(key, p);
    }
    return p;
  };
  for (const c of cases) {
    principal(c.accountId, c.userName);
    sources.get(identityKey(c.accountId, c.userName))!.cases.push(c);
  }
  for (const s of input.snoozes) {
    if (shown.has(caseId(s.accountId, s.userName, s.cycle)))
      sources.get(identityKey(s.accountId, s.userName))!.snoozes.push(s);
  }
  // Help requests of the users shown, made within the window.
  for (const h of input.helpRequests) {
    if (h.at >= input.since && h.at <= input.now)
      sources.get(identityKey(h.accountId, h.userName))?.helpRequests.push(h);
  }
  for (const e of input.exemptions) {
    if (e.expires >= input.since) principal(e.account, e.principal).exemptions.push(e);
  }
  return [...principals.values()].sort(
    (a, b) => a.accountId.localeCompare(b.accountId) || a.userName.localeCompare(b.userName),
  );
}
