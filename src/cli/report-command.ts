import { configPathFor } from './config-path.js';
import { Option, type Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { DAY_MS } from '../domain/dates.js';
import { evidenceHtmlChunks } from '../report/evidence/evidence-html.js';
import { coverageChartSvg } from '../report/chart/coverage-chart.js';
import { gatherEvidence, type Evidence } from '../report/evidence/gather.js';
import { metricsCsv, metricsJson, metricsTable } from '../report/evidence/metrics-formats.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';
import { openStateForReading } from './read-state.js';

export const REPORT_FORMATS = ['table', 'json', 'csv', 'html'] as const;
type ReportFormat = (typeof REPORT_FORMATS)[number];

interface ReportFlags {
  since: string;
  account?: string;
  format: ReportFormat;
  config?: string;
}

const MAX_DAYS = 3660;

/**
 * The window's start: `90d` or `12w` back from now, or a UTC date (`2026-09-01`). A message saying what is wrong
 * when the value is none of these.
 */
export function parseSince(value: string, now: Date): Date | string {
  const span = /^(\d{1,5})([dw])$/.exec(value);
  if (span) {
    const days = Number(span[1]) * (span[2] === 'w' ? 7 : 1);
    if (days < 1 || days > MAX_DAYS) return `--since must be between 1d and ${MAX_DAYS}d, got "${value}"`;
    return new Date(now.getTime() - days * DAY_MS);
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(day.getTime()) || !day.toISOString().startsWith(value))
      return `--since "${value}" is not a calendar date`;
    if (day >= now) return `--since ${value} is not in the past`;
    return day;
  }
  return `--since must be a number of days or weeks back (90d, 12w) or a date (2026-09-01), got "${value}"`;
}

/** The coverage chart over the report's window: daily up to 120 days, weekly beyond. */
async function windowChart(gathered: Pick<Evidence, 'summaries' | 'cases'>, since: Date, now: Date): Promise<string> {
  const days = Math.ceil((now.getTime() - since.getTime()) / DAY_MS);
  const chart = await coverageChartSvg({
    summaries: gathered.summaries,
    cases: gathered.cases,
    now,
    days,
    period: days > 120 ? 'week' : 'day',
  });
  return chart.svg;
}

export function registerReport(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('report')
    .description(
      'evidence from the stored state: MFA coverage, open cases by age, time to MFA, fixes by stage, overdue ' +
        'cases, expiring exemptions; --format html is a self-contained report for auditors',
    )
    .option('--since <when>', 'start of the window: 90d, 12w, or a date such as 2026-09-01', '90d')
    .option('--account <id>', 'only this AWS account (12 digits)')
    .addOption(new Option('--format <format>', 'output format').choices(REPORT_FORMATS).default('table'))
    .option('--config <file>', 'config file (YAML); default $MFA_BOT_CONFIG')
    .action(async (flags: ReportFlags) => {
      const config = loadConfig(configPathFor(flags.config, io));
      const now = io.now();
      const since = parseSince(flags.since, now);
      if (typeof since === 'string') {
        io.stderr(`mfa-bot: ${since}\n`);
        return setExit(EXIT.usage);
      }
      if (flags.account !== undefined && !/^\d{12}$/.test(flags.account)) {
        io.stderr(`mfa-bot: --account must be a 12-digit AWS account ID, got "${flags.account}"\n`);
        return setExit(EXIT.usage);
      }
      const store = await openStateForReading(config, io);
      if (!store) return setExit(EXIT.state);
      try {
        const gathered = await gatherEvidence(store, config, {
          now,
          since,
          ...(flags.account ? { accountId: flags.account } : {}),
          timelines: flags.format === 'html',
        });
        if ('unknownAccount' in gathered) {
          io.stderr(
            `mfa-bot: --account ${gathered.unknownAccount}: the state (${store.location}) has no scan or case of ` +
              `that account. ${
                gathered.knownAccounts.length
                  ? `It knows ${gathered.knownAccounts.join(', ')}.`
                  : 'It holds no scan yet: `mfa-bot run` records the first.'
              }\n`,
          );
          return setExit(EXIT.usage);
        }
        const { report } = gathered;
        const render: Record<ReportFormat, () => Promise<Iterable<string>> | Iterable<string>> = {
          table: () => [metricsTable(report.metrics)],
          json: () => [metricsJson(report.metrics)],
          csv: () => [metricsCsv(report.metrics)],
          html: async () => evidenceHtmlChunks(report, { chartSvg: await windowChart(gathered, since, now) }),
        };
        for (const chunk of await render[flags.format]()) {
          io.stdout(chunk);
          await io.drained?.();
        }
        setExit(EXIT.ok);
      } finally {
        await store.close();
      }
    });
}
