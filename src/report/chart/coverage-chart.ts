import { DAY_MS, isoDate } from '../../domain/dates.js';
import {
  chartLines,
  coverageSeries,
  type CaseSpan,
  type CoveragePeriod,
  type CoverageSeriesLine,
} from '../../domain/metrics/coverage.js';
import type { AccountScanSummary } from '../../domain/trend.js';
import { coverageChartSpec, MAX_LINES } from './coverage-spec.js';
import { renderPng, renderSvg } from './render.js';

export interface CoverageChartInput {
  summaries: readonly AccountScanSummary[];
  cases: readonly CaseSpan[];
  now: Date;
  /** Default 90. */
  days?: number;
  /** Default `day`. */
  period?: CoveragePeriod;
}

export interface CoverageChart {
  svg: string;
  lines: CoverageSeriesLine[];
  /** Accounts with a scan in the window. */
  accounts: number;
}

/** The chart of console MFA coverage and open cases per account (top 7 by open cases, then "others"), as SVG. */
export async function coverageChartSvg(input: CoverageChartInput): Promise<CoverageChart> {
  const days = input.days ?? 90;
  const period = input.period ?? 'day';
  const points = coverageSeries(input.summaries, input.cases, { period, now: input.now, days });
  const lines = chartLines(points, MAX_LINES);
  const accounts = new Set(points.map((p) => p.accountId)).size;
  const from = new Date(input.now.getTime() - days * DAY_MS);
  const spec = coverageChartSpec(lines, {
    title: `Console MFA coverage and open cases, last ${days} days`,
    subtitle: [
      `${accounts === 1 ? '1 account' : `${accounts} accounts`}, ${period === 'day' ? 'daily' : 'weekly'}, ` +
        `${isoDate(from)} to ${isoDate(input.now)} (UTC)`,
      ...(lines.length < accounts ? [`The ${lines.length - 1} with the most open cases; the rest summed`] : []),
    ],
    from,
    to: input.now,
  });
  return { svg: await renderSvg(spec), lines, accounts };
}

export async function coverageChartPng(input: CoverageChartInput): Promise<{ png: Buffer } & CoverageChart> {
  const chart = await coverageChartSvg(input);
  return { ...chart, png: await renderPng(chart.svg) };
}
