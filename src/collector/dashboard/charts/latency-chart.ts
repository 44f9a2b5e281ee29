import type uPlot from 'uplot';
import type { LatencyAnswer } from '../api.js';
import { formatDuration } from '../lib/format-duration.js';
import { isolatedPointsOnly, TimeChart } from './time-chart.js';

const line = (label: string, stroke: string, width: number): uPlot.Series => ({
  label,
  stroke,
  width,
  spanGaps: false,
  points: { show: isolatedPointsOnly, size: 5, fill: stroke },
  value: (_u, seconds) => formatDuration(seconds),
});

/** p50, p95 and p99 of a phase per window, in seconds; a gap where the window had no call. */
export function createLatencyChart(container: HTMLElement): TimeChart {
  return new TimeChart(container, {
    height: 220,
    minTop: 0.001,
    formatY: formatDuration,
    series: (theme) => [line('p50', theme.p50, 2), line('p95', theme.p95, 1.5), line('p99', theme.p99, 1.5)],
  });
}

/** The chart's rows from the API's points. */
export function latencyData(answer: LatencyAnswer): uPlot.AlignedData {
  const { points } = answer;
  return [
    points.map((point) => point.at / 1000),
    points.map((point) => point.p50),
    points.map((point) => point.p95),
    points.map((point) => point.p99),
  ];
}
