import type { TopLevelSpec } from 'vega-lite';
import { isoDate } from '../../domain/dates.js';
import { OTHERS, type CoverageSeriesLine } from '../../domain/metrics/coverage.js';

/**
 * Okabe & Ito's colour-blind-safe palette (Color Universal Design, 2008), without its yellow (#F0E442), which
 * is too faint on white for a thin line: black, orange, sky blue, bluish green, blue, vermillion, reddish
 * purple. "Others" is a mid grey, dashed, so it reads as the background it is.
 */
export const ACCOUNT_COLOURS = ['#000000', '#E69F00', '#56B4E9', '#009E73', '#0072B2', '#D55E00', '#CC79A7'];
export const OTHERS_COLOUR = '#999999';
/** One line per colour: the chart shows this many lines at most (chartLines' maxLines). */
export const MAX_LINES = ACCOUNT_COLOURS.length + 1;

export const CHART_FONT = 'DejaVu Sans';
/** Slack's preview is about 800×400; the PNG is drawn at twice that for sharp text. */
export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 400;
/** Each panel's plot area; the legend takes the rest of the width. */
const PANEL_WIDTH = 520;

interface Row {
  day: string;
  series: string;
  coverage: number | null;
  openCases: number;
  consoleUsers: number;
  withMfa: number;
}

function rowsOf(lines: readonly CoverageSeriesLine[]): Row[] {
  return lines.flatMap((line) =>
    line.points.map((p) => ({
      day: isoDate(p.periodStart),
      series: line.label,
      coverage: p.coveragePercent === undefined ? null : Math.round(p.coveragePercent * 10) / 10,
      openCases: p.openCases,
      consoleUsers: p.consoleUsers,
      withMfa: p.withMfa,
    })),
  );
}

/**
 * Two panels over the same dates: coverage (%) on top, open cases below, one line per account (chartLines),
 * one legend. Vega-Lite escapes the labels (account aliases come from AWS) when it writes the SVG.
 */
export function coverageChartSpec(
  lines: readonly CoverageSeriesLine[],
  options: { title: string; subtitle?: string[]; from: Date; to: Date },
): TopLevelSpec {
  const domain = lines.map((l) => l.label);
  let named = 0;
  const range = lines.map((l) =>
    l.key === OTHERS ? OTHERS_COLOUR : ACCOUNT_COLOURS[named++ % ACCOUNT_COLOURS.length]!,
  );
  const x = {
    field: 'day',
    type: 'temporal' as const,
    timeUnit: 'utcyearmonthdate' as const,
    title: null,
    scale: { domain: [isoDate(options.from), isoDate(options.to)] },
    axis: { format: '%b %d', labelFontSize: 12, tickCount: 8 },
  };
  const color = {
    field: 'series',
    type: 'nominal' as const,
    title: 'Account',
    scale: { domain, range },
    // Placed by hand: a legend at the right of a vconcat belongs to the top panel and pushes the lower one down.
    legend: {
      orient: 'none' as const,
      legendX: PANEL_WIDTH + 24,
      legendY: 0,
      labelFontSize: 13,
      titleFontSize: 13,
      labelLimit: 180,
      symbolStrokeWidth: 3,
    },
  };
  const strokeDash = {
    field: 'series',
    type: 'nominal' as const,
    // Same field and domain as the colour: Vega-Lite merges the two into one legend.
    scale: { domain, range: lines.map((l) => (l.key === OTHERS ? [6, 3] : [1, 0])) },
  };
  const tooltip = [
    { field: 'series', title: 'Account' },
    { field: 'day', type: 'temporal' as const, title: 'Day' },
    { field: 'coverage', title: 'Coverage (%)' },
    { field: 'openCases', title: 'Open cases' },
  ];
  const panelHeight = 130;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: options.title,
      ...(options.subtitle ? { subtitle: options.subtitle } : {}),
      anchor: 'start',
      fontSize: 18,
      subtitleFontSize: 13,
    },
    data: { values: rowsOf(lines) },
    config: {
      font: CHART_FONT,
      background: 'white',
      padding: 12,
      axis: { titleFontSize: 13, labelFontSize: 12, titleFontWeight: 'normal' },
      view: { stroke: null },
    },
    resolve: { scale: { color: 'shared', strokeDash: 'shared' } },
    spacing: 14,
    // Panels laid out by their plot areas: the upper one's hidden date axis would otherwise leave a gap.
    bounds: 'flush',
    vconcat: [
      {
        width: PANEL_WIDTH,
        height: panelHeight,
        mark: { type: 'line', strokeWidth: 2.5, point: false, interpolate: 'monotone' },
        encoding: {
          x: { ...x, axis: { ...x.axis, labels: false, ticks: false, domain: false } },
          y: {
            field: 'coverage',
            type: 'quantitative',
            title: 'MFA coverage (%)',
            scale: { domain: [0, 100] },
            axis: { tickCount: 5 },
          },
          color,
          strokeDash,
          tooltip,
        },
      },
      {
        width: PANEL_WIDTH,
        height: panelHeight,
        mark: { type: 'line', strokeWidth: 2.5, interpolate: 'step-after' },
        encoding: {
          x,
          y: {
            field: 'openCases',
            type: 'quantitative',
            title: 'Open cases (users)',
            scale: { domainMin: 0, nice: true },
            axis: { tickMinStep: 1, format: 'd' },
          },
          color,
          strokeDash,
          tooltip,
        },
      },
    ],
  };
}
