import uPlot from 'uplot';
import type { LatencyAnswer } from '../api.js';
import { formatCompact, formatCount } from '../lib/format-number.js';
import { TimeChart } from './time-chart.js';

/** uPlot's bar paths, from each window's start to the next. */
function barPaths(): uPlot.Series.PathBuilder {
  const bars = uPlot.paths.bars;
  // Only uPlot's trimmed builds lack it; the package's main build has it.
  if (!bars) throw new TypeError('uPlot.paths.bars should be a function, is undefined: a uPlot build without bars');
  return bars({ size: [0.8, 40], align: 1 });
}

/**
 * Bars from each window's start (`at`) to the next: errors drawn over calls, so the red part of a
 * bar is the share that failed.
 */
const bars = (label: string, color: string): uPlot.Series => ({
  label,
  stroke: color,
  fill: color,
  width: 0,
  paths: barPaths(),
  points: { show: false },
  value: (_u, count) => (count === null ? '—' : formatCount(count)),
});

/** Calls and failed calls per window. */
export function createCallsChart(container: HTMLElement): TimeChart {
  return new TimeChart(container, {
    height: 220,
    minTop: 1,
    formatY: (count) => (Number.isInteger(count) ? formatCompact(count) : ''),
    series: (theme) => [bars('calls', theme.calls), bars('errors', theme.errors)],
  });
}

/** The chart's rows from the API's points. */
export function callsData(answer: LatencyAnswer): uPlot.AlignedData {
  const { points } = answer;
  return [
    points.map((point) => point.at / 1000),
    // `runs` are the calls that returned; a call that failed is counted in `errors` only.
    points.map((point) => point.runs + point.errors),
    points.map((point) => point.errors),
  ];
}
