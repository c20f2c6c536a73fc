import type { Check } from '../../domain/checks/registry.js';
import { expiryAsWritten } from '../../domain/exemptions.js';
import { FIX_STAGES } from '../../domain/metrics/case-stages.js';
import {
  AGE_BUCKETS,
  EXPIRY_HORIZON_DAYS,
  type EvidenceMetrics,
  type ListedExemption,
  type ScopeMetrics,
} from '../../domain/metrics/evidence-metrics.js';
import { html, trustedHtml, type Html } from '../html.js';
import type { NudgeLogEntry } from '../nudge-log.js';
import { allScopes, daysText, FIX_STAGE_LABELS, percentText, scopeName, spreadText } from './metrics-formats.js';
import type { PrincipalTimeline } from './timeline.js';

export interface ScopeAccount {
  accountId: string;
  alias?: string;
  /** When the latest scan read it; undefined when no stored scan covers it. */
  scannedAt?: Date;
  error?: string;
}

export interface EvidenceReport {
  metrics: EvidenceMetrics;
  /** Where the state came from (the SQLite file or DynamoDB table). */
  stateLocation: string;
  /** Set when the report is limited to one account (--account). */
  accountFilter?: string;
  accounts: ScopeAccount[];
  checks: readonly Check[];
  teams: Array<{ name: string; accounts: readonly string[]; unresolvedOus: readonly string[] }>;
  timelines: PrincipalTimeline[];
}

export interface EvidenceHtmlOptions {
  /**
   * The coverage and open-cases chart as an SVG document, from mfa-bot's own chart renderer (never from text
   * anyone else wrote: it is inserted as markup). Without it the report says that no chart was rendered.
   */
  chartSvg?: string;
}

const stamps = new Map<number, string>();

/** `2026-12-01 10:00 UTC`, remembered by the minute: the lines of one run of the bot fall within a few minutes. */
function stamp(d: Date): string {
  const minute = Math.floor(d.getTime() / 60_000);
  let text = stamps.get(minute);
  if (text === undefined) {
    if (stamps.size >= 10_000) stamps.clear();
    text = `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    stamps.set(minute, text);
  }
  return text;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;margin:0 auto;max-width:1100px;
padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;border-bottom:2px solid #d0d7de;padding-bottom:4px}
h3{font-size:15px;margin:20px 0 6px}.muted{color:#57606a}
table{border-collapse:collapse;width:100%;margin:6px 0 12px}th,td{border:1px solid #d0d7de;padding:4px 8px;
text-align:left;vertical-align:top}th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
code,.ref{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;overflow-wrap:anywhere}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0 16px}.card{border:1px solid #d0d7de;border-radius:6px;
padding:10px 14px;min-width:150px}.card b{display:block;font-size:22px}
figure{margin:8px 0}figure svg{max-width:100%;height:auto}
.principal{border-top:1px solid #d0d7de;padding-top:4px}.status-fail{color:#b35806}.status-pass{color:#1b7837}
@media print{.principal{break-inside:avoid}}`;

function cards(o: ScopeMetrics): Html {
  const card = (label: string, value: string) => html`<div class="card">${label}<b>${value}</b></div>`;
  return html`<div class="cards">
${card('Console MFA coverage now', percentText(o.coverage.percent))}
${card('Open cases', String(o.openCases.total))}
${card('Time to MFA, median', daysText(o.timeToMfa.fromFinding.medianDays))}
${card('Time to MFA, p90', daysText(o.timeToMfa.fromFinding.p90Days))}
${card('Overdue cases', String(o.overdue.length))}
${card(`Exemptions expiring in ${EXPIRY_HORIZON_DAYS} days`, String(o.expiringExemptions.length))}
</div>`;
}

const num = (n: number) => html`<td class="num">${n}</td>`;
const headRow = (heads: readonly string[]) => html`<tr>${heads.map((h) => html`<th>${h}</th>`)}</tr>`;

function openCasesRow(s: ScopeMetrics): Html {
  const coverage = `${percentText(s.coverage.percent)} (${s.coverage.withMfa} of ${s.coverage.consoleUsers})`;
  const ages = AGE_BUCKETS.map((b) => num(s.openCases.byAge[b.id]));
  const tail = [num(s.overdue.length), num(s.enforcedNow)];
  return html`<tr><td>${scopeName(s)}</td><td>${coverage}</td>${num(s.openCases.total)}${ages}${tail}</tr>\n`;
}

function fixesRow(s: ScopeMetrics): Html {
  const spreads = [s.timeToMfa.fromFinding, s.timeToMfa.fromFirstNudge].map((sp) => html`<td>${spreadText(sp)}</td>`);
  const stages = FIX_STAGES.map((st) => num(s.fixedAfter[st]));
  return html`<tr><td>${scopeName(s)}</td>${num(s.fixedInWindow)}${spreads}${stages}</tr>\n`;
}

function expiringRow(e: ListedExemption): Html {
  const cells = [expiryAsWritten(e.expires), e.reason, e.approvedBy ?? 'not recorded'].map((c) => html`<td>${c}</td>`);
  return html`<tr><td><code>${e.account}</code></td><td><code>${e.principal}</code></td>${cells}<td class="ref">${
    e.source
  }</td></tr>\n`;
}

function metricsTables(m: EvidenceMetrics): Html {
  const scopes = allScopes(m);
  const openHead = ['Scope', 'Coverage now', 'Open', ...AGE_BUCKETS.map((b) => b.label), 'Overdue', 'Enforced now'];
  const fixesHead = [
    'Scope',
    'Fixed',
    'From finding',
    'From first nudge',
    ...FIX_STAGES.map((st) => FIX_STAGE_LABELS[st]),
  ];
  const expiring = m.overall.expiringExemptions;
  return html`<h3>Open cases now, by age</h3>
<p class="muted">Overdue: past grace, with ${m.escalateAfter} or more nudges delivered (nudges.escalateAfter).</p>
<table><thead>${headRow(openHead)}</thead><tbody>
${scopes.map(openCasesRow)}</tbody></table>
<h3>Fixes within the window, and how long they took</h3>
<p class="muted">Time to MFA: median / 90th percentile (nearest rank), in days, over the cases whose user turned MFA on
within the window. "Fixed after" counts each fix once, by the furthest step delivered before it.</p>
<table><thead>${headRow(fixesHead)}</thead><tbody>
${scopes.map(fixesRow)}</tbody></table>
<h3>Exemptions expiring in the next ${EXPIRY_HORIZON_DAYS} days</h3>
${
  expiring.length === 0
    ? html`<p>None.</p>`
    : html`<table><thead>${headRow(['Account', 'IAM user', 'Expires', 'Reason', 'Approved by', 'Source'])}</thead>
<tbody>${expiring.map(expiringRow)}</tbody></table>`
}`;
}

function scopeSection(r: EvidenceReport): Html {
  return html`<h3>Accounts</h3>
<table><thead><tr><th>Account</th><th>Alias</th><th>Latest scan</th><th>Read</th></tr></thead><tbody>
${r.accounts.map(
  (a) =>
    html`<tr><td><code>${a.accountId}</code></td><td>${a.alias ?? ''}</td><td>${
      a.scannedAt ? stamp(a.scannedAt) : 'no stored scan'
    }</td><td>${a.error ? `no: ${a.error}` : a.scannedAt ? 'yes' : '–'}</td></tr>\n`,
)}</tbody></table>
<h3>Checks and the controls they map to</h3>
<table><thead><tr><th>Check</th><th>What it asserts</th><th>Severity</th><th>Controls</th></tr></thead><tbody>
${r.checks.map(
  (c) =>
    html`<tr><td><code>${c.id}</code></td><td>${c.title}</td><td>${c.severity}</td><td>${c.controls.join(
      '; ',
    )}</td></tr>\n`,
)}</tbody></table>
${
  r.teams.length === 0
    ? ''
    : html`<h3>Teams (slack.routes)</h3><ul>${r.teams.map(
        (t) =>
          html`<li>${t.name}: ${t.accounts.length ? t.accounts.join(', ') : 'no accounts listed'}${
            t.unresolvedOus.length
              ? html` <span class="muted">(OUs ${t.unresolvedOus.join(', ')} not counted: the report reads only the
state, which does not record which accounts an OU holds)</span>`
              : ''
          }</li>\n`,
      )}</ul>`
}`;
}

function entryRow(e: NudgeLogEntry): Html {
  return html`<tr><td>${stamp(e.at)}</td><td>${e.event}</td><td>${e.detail}</td><td class="ref">${e.ref}</td></tr>\n`;
}

function exemptionLine(e: ListedExemption): Html {
  const checks = e.checks ? `; checks ${e.checks.join(', ')}` : '';
  const expires = expiryAsWritten(e.expires);
  return html`<p>Exemption: ${e.reason}; approved by ${e.approvedBy ?? 'not recorded'}; expires ${expires}${checks} \
<span class="ref">(${e.source})</span></p>\n`;
}

function principalSection(p: PrincipalTimeline, n: number): Html {
  const status = p.statusNow ?? 'not in the latest scan';
  const entries = p.entries();
  return html`<article class="principal" id="principal-${n}">
<h3><code>${p.userName}</code> <span class="muted">in account</span> <code>${p.accountId}</code></h3>
<p>Console MFA now: <span class="status-${p.statusNow ?? 'none'}">${status}</span></p>
${p.exemptions.map(exemptionLine)}${
  entries.length === 0
    ? html`<p class="muted">No ledger entries in the window.</p>`
    : html`<table><thead><tr><th>When</th><th>Event</th><th>Detail</th><th>Ledger entry</th></tr></thead><tbody>
${entries.map(entryRow)}</tbody></table>`
}</article>\n`;
}

/**
 * Characters per piece written: a large report is written piece by piece, never held whole as one string. Pieces
 * stay well under V8's large-object size (about 128 KB), whose garbage is only freed by a full collection.
 */
const CHUNK_CHARS = 32_768;

/**
 * One self-contained HTML file (inline CSS, inline SVG, no scripts, no external requests) for an auditor, in
 * pieces to write one after the other.
 */
export function* evidenceHtmlChunks(r: EvidenceReport, options: EvidenceHtmlOptions = {}): Generator<string> {
  const m = r.metrics;
  const window = `${stamp(m.since)} to ${stamp(m.now)}`;
  yield html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>AWS console MFA evidence, ${window}</title><style>${trustedHtml(STYLE)}</style></head>
<body>
<header><h1>AWS console MFA: evidence report</h1>
<p class="muted">Window: ${window}. Generated by mfa-bot from its state (${r.stateLocation})${
    r.accountFilter ? `, limited to account ${r.accountFilter}` : ''
  }. Every line of a timeline names the ledger record it comes from.</p></header>
<section id="scope"><h2>Scope</h2>${scopeSection(r)}</section>
<section id="headline"><h2>Headline metrics</h2>${cards(m.overall)}${metricsTables(m)}</section>
<section id="chart"><h2>Coverage and open cases over time</h2>
${
  options.chartSvg
    ? html`<figure id="coverage-chart">${trustedHtml(options.chartSvg)}</figure>`
    : html`<p id="coverage-chart-missing">No chart was rendered for this report.</p>`
}</section>
<section id="principals"><h2>Per principal: what happened, from the ledger</h2>
<p class="muted">${r.timelines.length} IAM users with a case open during the window or an exemption in force.</p>
`.text;
  let pieces: string[] = [];
  let length = 0;
  for (const [n, p] of r.timelines.entries()) {
    const section = principalSection(p, n).text;
    pieces.push(section);
    length += section.length;
    if (length >= CHUNK_CHARS) {
      yield pieces.join('');
      pieces = [];
      length = 0;
    }
  }
  if (pieces.length > 0) yield pieces.join('');
  yield '</section>\n</body></html>\n';
}
