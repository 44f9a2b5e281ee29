import type { ModelSummary } from '../api.js';
import { h } from '../lib/element.js';
import { emptyState } from '../lib/empty-state.js';
import { formatCount, formatPercent } from '../lib/format-number.js';
import { meter } from '../lib/meter.js';
import { backendRuns } from '../lib/models-in-view.js';
import { table } from '../lib/table.js';

/** Where the chosen models' calls ran (WebGPU, wasm...), by share of calls. */
export function renderBackends(container: HTMLElement, models: readonly ModelSummary[]): void {
  const backends = backendRuns(models);
  const total = backends.reduce((sum, [, runs]) => sum + runs, 0);
  if (total === 0) {
    container.replaceChildren(emptyState('No calls in this range.'));
    return;
  }
  const rows = backends.map(([backend, runs]) =>
    h(
      'tr',
      {},
      h('th', { attrs: { scope: 'row' } }, h('span', { class: 'mono' }, backend)),
      h('td', { class: 'bar-cell' }, meter(runs / total, 'accent')),
      h('td', { class: 'num strong' }, formatPercent(runs / total)),
      h('td', { class: 'num muted' }, formatCount(runs)),
    ),
  );
  container.replaceChildren(
    table(
      'Backends',
      [{ label: 'Backend' }, { label: 'Share' }, { label: '%', numeric: true }, { label: 'Calls', numeric: true }],
      rows,
    ),
  );
}
