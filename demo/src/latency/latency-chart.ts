import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { cssColor, onColorSchemeChange } from '../lib/css-color.js';
import { h } from '../lib/dom.js';
import { formatMs } from '../lib/format.js';
import type { RunRecord } from '../playground.js';

/** The chart's lines: each phase of a run as the worker timed it, then the running percentiles of the total. */
const lines = [
  { label: 'total', color: '--chart-total', width: 2.5, pick: (r: RunRecord) => r.timings.roundTripMs },
  { label: 'inference', color: '--chart-inference', width: 1.5, pick: (r: RunRecord) => r.timings.inferenceMs },
  { label: 'preprocess', color: '--chart-preprocess', width: 1.5, pick: (r: RunRecord) => r.timings.preprocessMs },
  { label: 'postprocess', color: '--chart-postprocess', width: 1.5, pick: (r: RunRecord) => r.timings.postprocessMs },
  { label: 'queue', color: '--chart-queue', width: 1, pick: (r: RunRecord) => r.timings.queueMs },
  { label: 'p50', color: '--chart-p50', width: 1.5, dash: [6, 4], pick: (r: RunRecord) => r.p50Ms },
  { label: 'p95', color: '--chart-p95', width: 1.5, dash: [6, 4], pick: (r: RunRecord) => r.p95Ms },
] as const;

const height = 240;

/**
 * Latency per run of the model shown (x: run number, y: ms), drawn with uPlot: a point per
 * phase per run, and the model's p50 and p95 of the total as `rt.metrics()` gave them after each
 * run. `data-points` on the container says how many runs it plots.
 */
export class LatencyChart {
  readonly #container: HTMLElement;
  #plot: uPlot | undefined;
  #runs: readonly RunRecord[] = [];

  constructor(container: HTMLElement) {
    this.#container = container;
    new ResizeObserver(() => this.#fit()).observe(container);
    onColorSchemeChange(() => this.#build());
    this.#build();
  }

  /** Plots `runs`: redrawn when they are another model's, extended when more of the same. */
  show(runs: readonly RunRecord[]): void {
    const same = runs[0] === this.#runs[0];
    if (same && runs.length === this.#runs.length) return;
    const grew = this.#plot && same && runs.length > this.#runs.length;
    this.#runs = [...runs];
    this.#container.dataset.points = String(runs.length);
    if (grew) this.#plot?.setData(this.#data());
    else this.#build();
  }

  #data(): uPlot.AlignedData {
    return [this.#runs.map((_, i) => i + 1), ...lines.map((line) => this.#runs.map(line.pick))];
  }

  #build(): void {
    this.#plot?.destroy();
    this.#plot = undefined;
    if (this.#runs.length === 0) {
      this.#container.replaceChildren(h('p', { class: 'empty' }, 'Run the model to see its latency, phase by phase.'));
      return;
    }
    this.#container.replaceChildren();
    const axis = {
      stroke: cssColor('--text-muted'),
      font: '11px system-ui, sans-serif',
      grid: { stroke: cssColor('--chart-grid'), width: 1 },
      ticks: { show: false },
    };
    const options: uPlot.Options = {
      width: this.#width(),
      height,
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [
        {
          ...axis,
          label: 'run',
          labelSize: 18,
          labelFont: axis.font,
          values: (_u, splits) => splits.map((at) => (Number.isInteger(at) ? String(at) : '')),
        },
        { ...axis, size: 64, values: (_u, splits) => splits.map(formatMs) },
      ],
      series: [
        { label: 'run' },
        ...lines.map((line) => ({
          label: line.label,
          stroke: cssColor(line.color),
          width: line.width,
          ...('dash' in line ? { dash: [...line.dash] } : {}),
          points: { show: this.#runs.length < 60, size: 4 },
          value: (_u: uPlot, value: number | null) => (value === null ? '—' : formatMs(value)),
        })),
      ],
      legend: { live: true },
    };
    this.#plot = new uPlot(options, this.#data(), this.#container);
  }

  #width(): number {
    return Math.max(240, Math.floor(this.#container.clientWidth));
  }

  #fit(): void {
    const plot = this.#plot;
    if (plot && this.#container.clientWidth > 0 && this.#width() !== plot.width) plot.setSize({ width: this.#width(), height });
  }
}
