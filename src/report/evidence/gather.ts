import type { Config } from '../../config/schema.js';
import type { NudgeCase } from '../../domain/ledger.js';
import { enabledChecks } from '../../domain/checks/registry.js';
import { consoleStatuses, evidenceMetrics, listExemptions } from '../../domain/metrics/evidence-metrics.js';
import type { AccountScanSummary } from '../../domain/trend.js';
import type { ScanResult } from '../../domain/types.js';
import type { StateStore } from '../../store/store.js';
import type { EvidenceReport } from './evidence-html.js';
import { principalTimelines } from './timeline.js';

export interface EvidenceRequest {
  now: Date;
  since: Date;
  /** Only this account (--account). */
  accountId?: string;
  /** The per-principal timelines (the HTML report) besides the figures. */
  timelines: boolean;
}

export interface Evidence {
  report: EvidenceReport;
  /** The stored per-account counts of every scan (of the account asked for): the chart's series. */
  summaries: AccountScanSummary[];
  cases: NudgeCase[];
}

export type GatheredEvidence = Evidence | { unknownAccount: string; knownAccounts: string[] };

function onlyAccount(scan: ScanResult | undefined, accountId: string | undefined): ScanResult | undefined {
  if (!scan || !accountId) return scan;
  return { ...scan, accounts: scan.accounts.filter((a) => a.accountId === accountId) };
}

/** Everything the report shows, read from the state store alone (no AWS or Slack call). */
export async function gatherEvidence(
  store: StateStore,
  config: Config,
  req: EvidenceRequest,
): Promise<GatheredEvidence> {
  const filter = req.accountId ? { accountId: req.accountId } : {};
  const [stored, cases, allSummaries] = await Promise.all([
    store.latestScan(),
    store.cases(filter),
    store.scanSummaries(filter),
  ]);
  const latestScan = onlyAccount(stored?.scan, req.accountId);
  if (req.accountId && cases.length === 0 && allSummaries.length === 0) {
    const known = new Set([...(stored?.scan.accounts ?? []).map((a) => a.accountId)]);
    for (const s of await store.scanSummaries()) known.add(s.accountId);
    for (const c of await store.cases()) known.add(c.accountId);
    return { unknownAccount: req.accountId, knownAccounts: [...known].sort() };
  }
  const inScope = (account: string) => !req.accountId || account === req.accountId;
  const granted = await store.grantedExemptions();
  const exemptions = listExemptions(config.exemptions, granted).filter((e) => inScope(e.account));
  const routes = config.slack.routes.filter((r) => r.accounts.some(inScope) || (!req.accountId && r.ous.length));
  const teams = routes.map((r) => ({ name: r.channel, accounts: r.accounts.filter(inScope), unresolvedOus: r.ous }));
  const metrics = evidenceMetrics({
    now: req.now,
    since: req.since,
    cases,
    ...(latestScan ? { latestScan } : {}),
    exemptions,
    escalateAfter: config.nudges.escalateAfter,
    teams,
  });
  const scanned = new Map((latestScan?.accounts ?? []).map((a) => [a.accountId, a]));
  const accounts = metrics.accounts.map(({ scope }) => {
    const a = scanned.get(scope.id);
    return {
      accountId: scope.id,
      ...(scope.label ? { alias: scope.label } : {}),
      ...(a ? { scannedAt: a.credentialReportGeneratedAt ?? latestScan!.generatedAt } : {}),
      ...(a?.error ? { error: a.error.code } : {}),
    };
  });
  const timelines = req.timelines
    ? principalTimelines({
        since: req.since,
        now: req.now,
        cases,
        snoozes: await store.snoozes(filter),
        helpRequests: await store.helpRequests(filter),
        exemptions,
        statuses: consoleStatuses(latestScan),
      })
    : [];
  return {
    report: {
      metrics,
      stateLocation: store.location,
      ...(req.accountId ? { accountFilter: req.accountId } : {}),
      accounts,
      checks: enabledChecks(config.checks),
      teams,
      timelines,
    },
    summaries: allSummaries,
    cases,
  };
}
