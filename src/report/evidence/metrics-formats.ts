import { stringify } from 'csv-stringify/sync';
import Table from 'cli-table3';
import { expiryAsWritten } from '../../domain/exemptions.js';
import { FIX_STAGES, type FixStage } from '../../domain/metrics/case-stages.js';
import {
  AGE_BUCKETS,
  EXPIRY_HORIZON_DAYS,
  type EvidenceMetrics,
  type ScopeMetrics,
} from '../../domain/metrics/evidence-metrics.js';
import type { Spread } from '../../domain/metrics/spread.js';

export const FIX_STAGE_LABELS: Record<FixStage, string> = {
  'before-nudge': 'before any nudge',
  'first-nudge': 'after the first nudge',
  reminder: 'after reminders',
  escalation: 'after escalation',
  enforcement: 'after enforcement',
};

/** Column heads of the fixed-after counts in the terminal table, which must stay narrow. */
const SHORT_STAGE: Record<FixStage, string> = {
  'before-nudge': 'No nudge',
  'first-nudge': '1st nudge',
  reminder: 'Reminded',
  escalation: 'Escalated',
  enforcement: 'Enforced',
};

const round2 = (n: number) => Math.round(n * 100) / 100;
export const percentText = (p: number | undefined) => (p === undefined ? 'unknown' : `${p.toFixed(1)}%`);
export const daysText = (d: number | undefined) => (d === undefined ? '–' : `${d.toFixed(1)} d`);
export const spreadText = (s: Spread) =>
  s.count === 0 ? 'no fixes' : `${daysText(s.medianDays)} / ${daysText(s.p90Days)} (n=${s.count})`;

export function scopeName(s: ScopeMetrics): string {
  if (s.scope.kind === 'overall') return 'All accounts';
  if (s.scope.kind === 'team') return `Team ${s.scope.id}`;
  return s.scope.label ? `${s.scope.id} (${s.scope.label})` : s.scope.id;
}

export function allScopes(m: EvidenceMetrics): ScopeMetrics[] {
  return [m.overall, ...m.teams, ...m.accounts];
}

const spreadJson = (s: Spread) => ({
  count: s.count,
  medianDays: s.medianDays === undefined ? null : round2(s.medianDays),
  p90Days: s.p90Days === undefined ? null : round2(s.p90Days),
});

function scopeJson(s: ScopeMetrics) {
  return {
    scope: s.scope,
    coverage: { ...s.coverage, percent: s.coverage.percent === undefined ? null : round2(s.coverage.percent) },
    openCases: s.openCases,
    fixedInWindow: s.fixedInWindow,
    timeToMfa: {
      fromFinding: spreadJson(s.timeToMfa.fromFinding),
      fromFirstNudge: spreadJson(s.timeToMfa.fromFirstNudge),
    },
    fixedAfter: s.fixedAfter,
    overdue: s.overdue,
    enforcedNow: s.enforcedNow,
    expiringExemptions: s.expiringExemptions.map((e) => ({ ...e, expires: e.expires.toISOString() })),
  };
}

export function metricsJson(m: EvidenceMetrics): string {
  const body = {
    generatedAt: m.now.toISOString(),
    windowStart: m.since.toISOString(),
    escalateAfter: m.escalateAfter,
    overall: scopeJson(m.overall),
    teams: m.teams.map(scopeJson),
    accounts: m.accounts.map(scopeJson),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** One number per scope and metric (a long table): what dashboards and spreadsheets pivot best. */
function metricRows(s: ScopeMetrics): Array<[string, number | string]> {
  const spread = (name: string, sp: Spread): Array<[string, number | string]> => [
    [`${name}_median_days`, sp.medianDays === undefined ? '' : round2(sp.medianDays)],
    [`${name}_p90_days`, sp.p90Days === undefined ? '' : round2(sp.p90Days)],
  ];
  return [
    ['console_users', s.coverage.consoleUsers],
    ['console_users_with_mfa', s.coverage.withMfa],
    ['coverage_percent', s.coverage.percent === undefined ? '' : round2(s.coverage.percent)],
    ['open_cases', s.openCases.total],
    ...AGE_BUCKETS.map((b): [string, number] => [`open_cases_${b.id}`, s.openCases.byAge[b.id]]),
    ['fixed_in_window', s.fixedInWindow],
    ...spread('time_to_mfa_from_finding', s.timeToMfa.fromFinding),
    ...spread('time_to_mfa_from_first_nudge', s.timeToMfa.fromFirstNudge),
    ...FIX_STAGES.map((st): [string, number] => [`fixed_${st.replace(/-/g, '_')}`, s.fixedAfter[st]]),
    ['overdue_cases', s.overdue.length],
    ['enforced_now', s.enforcedNow],
    [`exemptions_expiring_${EXPIRY_HORIZON_DAYS}d`, s.expiringExemptions.length],
  ];
}

export function metricsCsv(m: EvidenceMetrics): string {
  const rows: Array<Array<string | number>> = [
    ['generatedAt', 'windowStart', 'scopeKind', 'scopeId', 'metric', 'value'],
  ];
  for (const s of allScopes(m)) {
    for (const [metric, value] of metricRows(s)) {
      rows.push([m.now.toISOString(), m.since.toISOString(), s.scope.kind, s.scope.id, metric, value]);
    }
  }
  return stringify(rows, { record_delimiter: 'unix' });
}

export function metricsTable(m: EvidenceMetrics): string {
  const window = `${m.since.toISOString().slice(0, 10)} to ${m.now.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const open = new Table({
    head: ['Scope', 'Coverage now', 'Open', ...AGE_BUCKETS.map((b) => b.label), 'Overdue', 'Enforced'],
    style: { head: [], border: [] },
  });
  const fixes = new Table({
    head: ['Scope', 'Fixed', 'Days to MFA (median / p90)', 'From 1st nudge', ...FIX_STAGES.map((s) => SHORT_STAGE[s])],
    style: { head: [], border: [] },
  });
  for (const s of allScopes(m)) {
    const cov = s.coverage;
    open.push([
      scopeName(s),
      `${percentText(cov.percent)} (${cov.withMfa}/${cov.consoleUsers})`,
      s.openCases.total,
      ...AGE_BUCKETS.map((b) => s.openCases.byAge[b.id]),
      s.overdue.length,
      s.enforcedNow,
    ]);
    fixes.push([
      scopeName(s),
      s.fixedInWindow,
      spreadText(s.timeToMfa.fromFinding),
      spreadText(s.timeToMfa.fromFirstNudge),
      ...FIX_STAGES.map((st) => s.fixedAfter[st]),
    ]);
  }
  const expiring = m.overall.expiringExemptions.map(
    (e) =>
      `  ${e.account} ${e.principal}: expires ${expiryAsWritten(e.expires)} (${e.reason}` +
      `${e.approvedBy ? `; approved by ${e.approvedBy}` : ''}; ${e.source})`,
  );
  return [
    `Evidence, ${window}`,
    `Open cases now, by age (overdue: past grace and ${m.escalateAfter}+ nudges, nudges.escalateAfter)`,
    open.toString(),
    'Fixes within the window (MFA turned on), how long they took, and the furthest step before each',
    fixes.toString(),
    `Exemptions expiring in the next ${EXPIRY_HORIZON_DAYS} days: ${expiring.length ? '' : 'none'}`,
    ...expiring,
    '',
  ].join('\n');
}
