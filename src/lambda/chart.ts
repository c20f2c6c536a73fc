import type { BotLog } from '../bot/logger.js';
import type { Config } from '../config/schema.js';
import type { ChartRendering } from '../jobs/digest-chart.js';
import { chartRendererMissing } from '../report/chart/render.js';

/** Says why the chart renderer cannot load here, or undefined when it can. */
export type ChartRendererProbe = () => Promise<string | undefined>;

/**
 * The Lambda package carries the chart renderer, its WebAssembly and fonts found through MFA_BOT_CHART_ASSETS
 * (scripts/build-lambda.mjs, serverless.yml). Found unable to load once per container (cold start), every digest
 * then goes without the chart, with this one info line rather than an error per digest. Undefined: draw.
 */
export async function lambdaChartRendering(
  config: Config,
  log: BotLog,
  probe: ChartRendererProbe = chartRendererMissing,
): Promise<ChartRendering | undefined> {
  if (config.digest.chart === 'off') return undefined;
  const missing = await probe();
  if (!missing) return undefined;
  log.info(
    `digest.chart is ${config.digest.chart}, but this container cannot draw the chart, so digests go without it ` +
      `(${missing})`,
  );
  return 'unavailable';
}
