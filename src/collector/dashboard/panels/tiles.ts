import { h } from '../lib/element.js';
import { formatDuration } from '../lib/format-duration.js';
import { formatCount, formatPercent } from '../lib/format-number.js';
import { modelsInView } from '../lib/models-in-view.js';
import type { Snapshot } from '../load-snapshot.js';
import { rangeLabels } from '../view-state.js';

/** An error rate from this share up is shown as a warning, and from the next as a failure. */
const errorRateWarn = 0.01;
const errorRateBad = 0.05;

type Tone = 'neutral' | 'warn' | 'bad';

function tile(key: string, label: string, value: string, detail: string, tone: Tone = 'neutral'): HTMLElement {
  return h(
    'section',
    { class: `tile tone-${tone}`, attrs: { 'data-tile': key, 'aria-label': label } },
    h('h2', { class: 'tile-label' }, label),
    h('p', { class: 'tile-value' }, value),
    h('p', { class: 'tile-detail' }, detail),
  );
}

/** Calls, error rate, anomalies and p95 of a whole call, over the range and the chosen models. */
export function renderTiles(container: HTMLElement, snapshot: Snapshot): void {
  const models = modelsInView(snapshot.models.models, snapshot.view.filter);
  const runs = models.reduce((sum, row) => sum + row.runs, 0);
  const errors = models.reduce((sum, row) => sum + row.errors, 0);
  const anomalies = Object.values(snapshot.anomalies.byKind).reduce((sum, count) => sum + count, 0);
  const kinds = Object.entries(snapshot.anomalies.byKind).sort((a, b) => b[1] - a[1]);
  const total = snapshot.phases.phases.find((row) => row.phase === 'total');
  const rate = runs + errors > 0 ? errors / (runs + errors) : 0;
  const versions = new Set(models.map((row) => `${row.model}@${row.version}`)).size;
  container.replaceChildren(
    tile(
      'calls',
      'Calls',
      formatCount(runs + errors),
      `last ${rangeLabels[snapshot.view.range]} · ${versions} model version${versions === 1 ? '' : 's'}`,
    ),
    tile(
      'errors',
      'Error rate',
      runs + errors > 0 ? formatPercent(rate) : '—',
      `${formatCount(errors)} failed call${errors === 1 ? '' : 's'}`,
      rate >= errorRateBad ? 'bad' : rate >= errorRateWarn ? 'warn' : 'neutral',
    ),
    tile(
      'anomalies',
      'Anomalies',
      formatCount(anomalies),
      kinds[0] ? `most: ${kinds[0][0]} (${formatCount(kinds[0][1])})` : 'none in this range',
      anomalies > 0 ? 'warn' : 'neutral',
    ),
    tile(
      'p95',
      'p95 latency',
      total && total.count > 0 ? formatDuration(total.p95) : '—',
      total && total.count > 0
        ? `whole call · p50 ${formatDuration(total.p50)} · p99 ${formatDuration(total.p99)}`
        : 'no calls timed',
    ),
  );
}
