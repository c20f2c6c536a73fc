import { addDays, daysBetween } from '../dates.js';
import { identityKey } from '../identity.js';
import { caseKeyOf, type CaseKey, type NudgeCase } from '../ledger.js';
import { countsOf } from '../trend.js';
import type { AccountResult, Exemption, ScanResult, Status } from '../types.js';
import { isEnforced } from '../enforcement/steps.js';
import type { GrantedExemption } from '../exemptions.js';
import { FIX_STAGES, firstNudgeAt, nudgesDelivered, stageReached, type FixStage } from './case-stages.js';
import { spreadOf, type Spread } from './spread.js';

/** A group of accounts the metrics are given for: everything, one account, or one routed team (slack.routes). */
export interface MetricsScope {
  kind: 'overall' | 'account' | 'team';
  /** `all`, the account ID, or the team's name (its channel). */
  id: string;
  /** The account's alias, or nothing. */
  label?: string;
  accounts: string[];
}

export interface Team {
  name: string;
  accounts: readonly string[];
}

export interface MetricsInput {
  now: Date;
  /** Start of the window for the time-to-MFA figures and the fixes counted by stage. */
  since: Date;
  /** Every case of the ledger (open and resolved), with its messages. */
  cases: readonly NudgeCase[];
  /** The latest stored scan: coverage now, and who is still in grace. */
  latestScan?: ScanResult;
  exemptions: readonly ListedExemption[];
  /** nudges.escalateAfter: a case past grace with this many nudges delivered is overdue. */
  escalateAfter: number;
  teams: readonly Team[];
}

/** Open cases by how long ago they opened, as of now. */
export const AGE_BUCKETS = [
  { id: 'under7d', label: 'under 7 days', maxDays: 7 },
  { id: 'days7to30', label: '7 to 30 days', maxDays: 30 },
  { id: 'days30to90', label: '30 to 90 days', maxDays: 90 },
  { id: 'over90d', label: '90 days or more', maxDays: Number.POSITIVE_INFINITY },
] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number]['id'];

export const EXPIRY_HORIZON_DAYS = 30;

export interface Coverage {
  consoleUsers: number;
  withMfa: number;
  /** 0 to 100; undefined when no account of the scope could be read. No console users: 100. */
  percent?: number;
  /** Accounts of the scope the latest scan could not read (or did not cover). */
  unreadAccounts: string[];
}

/** An exemption with where an auditor finds it: its place in the config, or its grant in Slack. */
export interface ListedExemption extends Exemption {
  /** `config exemptions[N]`, or `granted in Slack by U… at …`. */
  source: string;
}

/** The config's exemptions (each with its position) and those granted in Slack (approved by who granted them). */
export function listExemptions(
  exemptions: readonly Exemption[],
  granted: readonly GrantedExemption[] = [],
): ListedExemption[] {
  return [
    ...exemptions.map((e, index) => ({ ...e, source: `config exemptions[${index}]` })),
    ...granted.map(({ grantedBy, grantedAt, ...e }) => ({
      ...e,
      approvedBy: grantedBy,
      source: `granted in Slack by ${grantedBy} at ${grantedAt.toISOString()}`,
    })),
  ];
}

export interface ScopeMetrics {
  scope: MetricsScope;
  coverage: Coverage;
  openCases: { total: number; byAge: Record<AgeBucket, number> };
  /** Cases fixed (MFA turned on) within the window. */
  fixedInWindow: number;
  timeToMfa: { fromFinding: Spread; fromFirstNudge: Spread };
  fixedAfter: Record<FixStage, number>;
  /** Open, past grace, and at least escalateAfter nudges delivered. */
  overdue: CaseKey[];
  /** Open cases whose login is limited to setting up MFA now. */
  enforcedNow: number;
  expiringExemptions: ListedExemption[];
}

export interface EvidenceMetrics {
  now: Date;
  since: Date;
  escalateAfter: number;
  overall: ScopeMetrics;
  accounts: ScopeMetrics[];
  teams: ScopeMetrics[];
}

function ageBucket(days: number): AgeBucket {
  return AGE_BUCKETS.find((b) => days < b.maxDays)!.id;
}

function coverageOf(accounts: readonly string[], scanned: ReadonlyMap<string, AccountResult>): Coverage {
  let consoleUsers = 0;
  let withMfa = 0;
  const unreadAccounts: string[] = [];
  for (const id of accounts) {
    const account = scanned.get(id);
    if (!account || account.error) {
      unreadAccounts.push(id);
      continue;
    }
    const { users } = countsOf(account);
    consoleUsers += users.pass + users.fail + users.grace + users.exempt;
    withMfa += users.pass;
  }
  const read = accounts.length - unreadAccounts.length;
  const percent = read === 0 ? undefined : consoleUsers === 0 ? 100 : (100 * withMfa) / consoleUsers;
  return { consoleUsers, withMfa, ...(percent !== undefined ? { percent } : {}), unreadAccounts };
}

/** Each IAM user's console-MFA status in the latest scan. */
export function consoleStatuses(scan: ScanResult | undefined): Map<string, Status> {
  const statuses = new Map<string, Status>();
  for (const account of scan?.accounts ?? []) {
    for (const v of account.verdicts) {
      if (v.check === 'user-console-mfa') statuses.set(identityKey(v.accountId, v.principal), v.status);
    }
  }
  return statuses;
}

/** What the figures take from one case: worked out once, however many scopes (overall, account, team) count it. */
type CaseFacts =
  | { open: true; age: AgeBucket; enforced: boolean; overdue: boolean }
  | { open: false; fix?: { fromFinding: number; fromFirstNudge?: number; stage: FixStage } };

function caseFacts(c: NudgeCase, input: MetricsInput, statuses: ReadonlyMap<string, Status>): CaseFacts {
  if (!c.resolvedAt) {
    // Past grace: the latest scan no longer says grace (a case it does not cover counts by how it opened).
    const status = statuses.get(identityKey(c.accountId, c.userName)) ?? c.openedStatus;
    return {
      open: true,
      age: ageBucket(daysBetween(c.openedAt, input.now)),
      enforced: isEnforced(c),
      overdue: status !== 'grace' && nudgesDelivered(c) >= input.escalateAfter,
    };
  }
  if (c.resolution !== 'fixed' || c.resolvedAt < input.since || c.resolvedAt > input.now) return { open: false };
  const nudged = firstNudgeAt(c);
  return {
    open: false,
    fix: {
      fromFinding: daysBetween(c.openedAt, c.resolvedAt),
      ...(nudged && nudged <= c.resolvedAt ? { fromFirstNudge: daysBetween(nudged, c.resolvedAt) } : {}),
      stage: stageReached(c, c.resolvedAt),
    },
  };
}

function scopeMetrics(
  scope: MetricsScope,
  cases: readonly NudgeCase[],
  input: MetricsInput,
  scanned: ReadonlyMap<string, AccountResult>,
  factsOf: (c: NudgeCase) => CaseFacts,
): ScopeMetrics {
  const byAge = Object.fromEntries(AGE_BUCKETS.map((b) => [b.id, 0])) as Record<AgeBucket, number>;
  const fixedAfter = Object.fromEntries(FIX_STAGES.map((s) => [s, 0])) as Record<FixStage, number>;
  const fromFinding: number[] = [];
  const fromFirstNudge: number[] = [];
  const overdue: CaseKey[] = [];
  let open = 0;
  let enforcedNow = 0;
  for (const c of cases) {
    const facts = factsOf(c);
    if (facts.open) {
      open += 1;
      byAge[facts.age] += 1;
      if (facts.enforced) enforcedNow += 1;
      if (facts.overdue) overdue.push(caseKeyOf(c));
      continue;
    }
    if (!facts.fix) continue;
    fromFinding.push(facts.fix.fromFinding);
    if (facts.fix.fromFirstNudge !== undefined) fromFirstNudge.push(facts.fix.fromFirstNudge);
    fixedAfter[facts.fix.stage] += 1;
  }
  const accounts = new Set(scope.accounts);
  const horizon = addDays(input.now, EXPIRY_HORIZON_DAYS);
  const expiringExemptions = input.exemptions
    .filter((e) => accounts.has(e.account) && e.expires > input.now && e.expires <= horizon)
    .sort((a, b) => a.expires.getTime() - b.expires.getTime());
  return {
    scope,
    coverage: coverageOf(scope.accounts, scanned),
    openCases: { total: open, byAge },
    fixedInWindow: fromFinding.length,
    timeToMfa: { fromFinding: spreadOf(fromFinding), fromFirstNudge: spreadOf(fromFirstNudge) },
    fixedAfter,
    overdue,
    enforcedNow,
    expiringExemptions,
  };
}

/**
 * The evidence figures, overall, per account and per team. Accounts are those of the latest scan, the ledger
 * and the exemptions; a team's are the ones its route lists.
 */
export function evidenceMetrics(input: MetricsInput): EvidenceMetrics {
  if (input.since > input.now) throw new RangeError('the window must start before now');
  const scanned = new Map((input.latestScan?.accounts ?? []).map((a) => [a.accountId, a]));
  const accountIds = [
    ...new Set([...scanned.keys(), ...input.cases.map((c) => c.accountId), ...input.exemptions.map((e) => e.account)]),
  ].sort();
  const statuses = consoleStatuses(input.latestScan);
  const casesOf = (accounts: ReadonlySet<string>) => input.cases.filter((c) => accounts.has(c.accountId));
  const byAccount = new Map<string, NudgeCase[]>(accountIds.map((id) => [id, []]));
  for (const c of input.cases) byAccount.get(c.accountId)!.push(c);
  const facts = new Map<NudgeCase, CaseFacts>();
  const factsOf = (c: NudgeCase) => {
    let f = facts.get(c);
    if (!f) {
      f = caseFacts(c, input, statuses);
      facts.set(c, f);
    }
    return f;
  };
  const metrics = (scope: MetricsScope, cases: readonly NudgeCase[]) =>
    scopeMetrics(scope, cases, input, scanned, factsOf);
  return {
    now: input.now,
    since: input.since,
    escalateAfter: input.escalateAfter,
    overall: metrics({ kind: 'overall', id: 'all', accounts: accountIds }, input.cases),
    accounts: accountIds.map((id) => {
      const label = scanned.get(id)?.alias ?? scanned.get(id)?.name;
      return metrics({ kind: 'account', id, ...(label ? { label } : {}), accounts: [id] }, byAccount.get(id)!);
    }),
    teams: input.teams.map((t) =>
      metrics({ kind: 'team', id: t.name, accounts: [...t.accounts].sort() }, casesOf(new Set(t.accounts))),
    ),
  };
}
