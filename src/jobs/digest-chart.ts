import type { Config } from '../config/schema.js';
import { isoDate } from '../domain/dates.js';
import { isoWeek } from '../domain/working-hours.js';
import { coverageChartPng, type CoverageChartInput } from '../report/chart/coverage-chart.js';
import type { DeliveryKey, StateStore } from '../store/store.js';

/** Draws the chart's PNG; a seam for tests, which make it fail. */
export type ChartRenderer = (input: CoverageChartInput) => Promise<Buffer>;

/** `unavailable`: the renderer did not load on this host (src/lambda/chart.ts), so no digest plans a chart. */
export type ChartRendering = ChartRenderer | 'unavailable';

export const renderCoverageChart: ChartRenderer = async (input) => (await coverageChartPng(input)).png;

/** The chart to attach in the digest's thread, drawn only once the digest is posted. */
export interface PlannedChart {
  /** Claimed in the ledger before the upload: once per ISO week (weekly) or per digest (daily), across processes. */
  key: DeliveryKey;
  filename: string;
  title: string;
  altText: string;
  render: () => Promise<Buffer>;
}

const PREFIX = 'chart:';

/**
 * The ledger key of a chart: it shares the digests' key space (channel and a name), so both stores keep it
 * without a new record type; the prefix keeps it apart from any scan fingerprint (hex).
 */
export function chartKey(channel: string, period: string): DeliveryKey {
  return { type: 'digest', channel, fingerprint: `${PREFIX}${period}` };
}

export function isChartKey(key: DeliveryKey): boolean {
  return key.type === 'digest' && key.fingerprint.startsWith(PREFIX);
}

/**
 * Whether this digest carries the chart (`digest.chart`): weekly, the first digest posted in each ISO week
 * of `schedule.timezone`; daily, every digest; off, none. Decided from the ledger, so a restart or another
 * Lambda container does not post a second one; a chart whose upload Slack refused is tried again with the
 * next digest.
 */
export async function planDigestChart(
  config: Config,
  store: StateStore,
  options: { channel: string; fingerprint: string; now: Date; render?: ChartRendering },
): Promise<PlannedChart | undefined> {
  const setting = config.digest.chart;
  if (setting === 'off' || options.render === 'unavailable') return undefined;
  const period =
    setting === 'weekly' ? `week:${isoWeek(options.now, config.schedule.timezone)}` : `digest:${options.fingerprint}`;
  const key = chartKey(options.channel, period);
  const done = await store.delivery(key);
  if (done && done.state !== 'failed') return undefined;
  const render = options.render ?? renderCoverageChart;
  const now = options.now;
  return {
    key,
    filename: `mfa-coverage-${isoDate(now)}.png`,
    title: `Console MFA coverage and open cases, last 90 days (${isoDate(now)})`,
    altText: 'Line charts of console MFA coverage (%) and open cases per AWS account over the last 90 days.',
    render: async () => {
      const [summaries, cases] = await Promise.all([store.scanSummaries(), store.cases()]);
      return render({ summaries, cases, now });
    },
  };
}
