import { byId, h } from '../lib/dom.js';
import { formatMs } from '../lib/format.js';
import type { Playground } from '../playground.js';
import { LatencyChart } from './latency-chart.js';

const phases = ['queue', 'preprocess', 'inference', 'postprocess', 'total'] as const;

/**
 * The latency card: the chart of the shown model's runs, and its percentiles per phase from
 * `rt.metrics()` (log-scale histograms in the page, the same figures the beacons carry).
 */
export function mountLatencyCard(playground: Playground): void {
  const chart = new LatencyChart(byId('latency-chart'));
  const table = byId<HTMLTableElement>('latency-table');
  const caption = byId('latency-caption');

  const render = () => {
    const entry = playground.current;
    const model = entry?.status.state === 'ready' ? entry.status.model : undefined;
    chart.show(entry?.runs ?? []);
    const metrics =
      model &&
      playground.runtime
        .metrics()
        .models.find((m) => m.model === model.info.id && m.version === model.info.version && m.backend === model.info.backend);
    caption.textContent = model
      ? `${entry?.spec.title} v${model.info.version} on ${model.info.backend}: ${metrics?.runs ?? 0} runs, phases timed in the worker, total as the page saw it.`
      : 'Each run of the model shown, by phase, in the worker.';
    // Rows stand (empty) before the first run, so the card keeps its size as they fill in.
    const figures = metrics && metrics.runs > 0 ? metrics.phases : undefined;
    table.replaceChildren(
      h('thead', {}, h('tr', {}, ...['Phase', 'p50', 'p95', 'p99', 'max'].map((name) => h('th', { scope: 'col' }, name)))),
      h(
        'tbody',
        {},
        ...phases.map((phase) => {
          const p = figures?.[phase];
          const cells = p ? [p.p50Ms, p.p95Ms, p.p99Ms, p.maxMs].map(formatMs) : ['—', '—', '—', '—'];
          return h('tr', {}, h('td', {}, phase), ...cells.map((cell) => h('td', {}, cell)));
        }),
      ),
    );
  };
  playground.on('runs', render);
  playground.on('models', render);
  render();
}
