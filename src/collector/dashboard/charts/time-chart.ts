import uPlot from 'uplot';
import { formatTick, formatWhen } from '../lib/format-time.js';
import { type ChartTheme, onColorSchemeChange, readChartTheme } from './chart-theme.js';

/** What makes one chart of the page: its y series and how its y axis reads. */
export interface TimeChartSpec {
  /** CSS pixels of the plot and its axes (the legend comes below). */
  readonly height: number;
  /** The y series, in the order of the data's rows after x. */
  series(theme: ChartTheme): uPlot.Series[];
  /** A y tick's or legend value's label. */
  formatY(value: number): string;
  /** The top of the y axis when the data has nothing above 0 (1 call, 1 ms). */
  readonly minTop: number;
}

/**
 * A uPlot time series over a fixed window (the chosen range, however sparse the data), as wide
 * as its container and redrawn in the new colours when the light or dark scheme changes.
 *
 * @example
 * const chart = new TimeChart(element, latencySpec);
 * chart.update([seconds, p50, p95, p99], from, to);
 */
export class TimeChart {
  readonly #container: HTMLElement;
  readonly #spec: TimeChartSpec;
  readonly #resize: ResizeObserver;
  readonly #unsubscribe: () => void;
  #plot: uPlot | undefined;
  #data: uPlot.AlignedData = [[]];
  /** The x scale's [min, max], in seconds (uPlot's time unit). */
  #window: [number, number] = [0, 1];

  constructor(container: HTMLElement, spec: TimeChartSpec) {
    this.#container = container;
    this.#spec = spec;
    this.#resize = new ResizeObserver(() => this.#fit());
    this.#resize.observe(container);
    this.#unsubscribe = onColorSchemeChange(() => this.#build());
  }

  /** Draws `data` (x in epoch seconds, then one row per series) over the window `from`..`to` (epoch ms). */
  update(data: uPlot.AlignedData, from: number, to: number): void {
    this.#data = data;
    this.#window = [from / 1000, to / 1000];
    if (this.#plot) this.#plot.setData(data);
    else this.#build();
  }

  destroy(): void {
    this.#resize.disconnect();
    this.#unsubscribe();
    this.#plot?.destroy();
    this.#plot = undefined;
  }

  #build(): void {
    this.#plot?.destroy();
    const theme = readChartTheme();
    const { formatY, height, minTop } = this.#spec;
    const axis = { stroke: theme.axis, font: theme.font, grid: { stroke: theme.grid, width: 1 }, ticks: { show: false } };
    const options: uPlot.Options = {
      width: this.#width(),
      height,
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      scales: {
        x: { time: true, range: () => this.#window },
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : minTop] },
      },
      axes: [
        { ...axis, size: 36, space: 64, values: (_u, splits, _axis, _space, step) => splits.map((at) => formatTick(at, step)) },
        { ...axis, size: 64, values: (_u, splits) => splits.map(formatY) },
      ],
      series: [{ value: (_u, at) => (at === null ? '—' : formatWhen(at * 1000)) }, ...this.#spec.series(theme)],
      legend: { live: true },
    };
    this.#plot = new uPlot(options, this.#data, this.#container);
  }

  #width(): number {
    return Math.max(200, Math.floor(this.#container.clientWidth));
  }

  #fit(): void {
    const plot = this.#plot;
    if (!plot || this.#container.clientWidth === 0) return;
    const width = this.#width();
    if (width !== plot.width) plot.setSize({ width, height: this.#spec.height });
  }
}

/**
 * Points on a line when some of its figures would not show otherwise: a window with figures
 * between two without draws no line segment (a lone beacon in the range, say).
 */
export function isolatedPointsOnly(u: uPlot, seriesIdx: number): boolean {
  const values = u.data[seriesIdx] ?? [];
  return values.some((value, i) => value != null && values[i - 1] == null && values[i + 1] == null);
}
