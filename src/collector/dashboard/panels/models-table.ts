import type { ModelFilter, ModelSummary } from '../api.js';
import { h } from '../lib/element.js';
import { emptyState } from '../lib/empty-state.js';
import { formatCount, formatPercent } from '../lib/format-number.js';
import { formatAgo, formatWhen } from '../lib/format-time.js';
import { backendRuns } from '../lib/models-in-view.js';
import { table } from '../lib/table.js';

/** `webgpu 80 % · wasm 20 %`: where a version's calls ran. */
function backendMix(row: ModelSummary): string {
  const total = Object.values(row.backends).reduce((sum, runs) => sum + runs, 0);
  if (total === 0) return '—';
  return backendRuns([row])
    .map(([backend, runs]) => `${backend} ${formatPercent(runs / total)}`)
    .join(' · ');
}

/**
 * Every model version that reported in the range: calls, error rate, anomalies, backends and
 * when it was last heard from. A name selects the version (the link also works on its own:
 * it is the page's query string for that view).
 */
export function renderModelsTable(
  container: HTMLElement,
  models: readonly ModelSummary[],
  {
    selected,
    hrefOf,
    onSelect,
  }: { selected: ModelFilter; hrefOf: (filter: ModelFilter) => string; onSelect: (filter: ModelFilter) => void },
): void {
  if (models.length === 0) {
    container.replaceChildren(emptyState('No model reported in this range.'));
    return;
  }
  const now = Date.now();
  const rows = [...models]
    .sort((a, b) => a.model.localeCompare(b.model) || b.lastAt - a.lastAt)
    .map((row) => {
      const filter = { model: row.model, version: row.version };
      const calls = row.runs + row.errors;
      const link = h('a', { attrs: { href: hrefOf(filter) } }, row.model);
      link.addEventListener('click', (event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        onSelect(filter);
      });
      const isSelected = selected.model === row.model && (selected.version ?? row.version) === row.version;
      return h(
        'tr',
        { class: isSelected ? 'selected' : '' },
        h('th', { attrs: { scope: 'row' } }, link),
        h('td', { class: 'mono' }, row.version),
        h('td', { class: 'num' }, formatCount(calls)),
        h('td', { class: row.errors > 0 ? 'num text-bad' : 'num' }, calls > 0 ? formatPercent(row.errors / calls) : '—'),
        h('td', { class: row.anomalies > 0 ? 'num text-warn' : 'num' }, formatCount(row.anomalies)),
        h('td', { class: 'muted' }, backendMix(row)),
        h(
          'td',
          { class: 'num muted', title: row.lastAt ? formatWhen(row.lastAt, now) : '' },
          row.lastAt ? formatAgo(row.lastAt, now) : '—',
        ),
      );
    });
  container.replaceChildren(
    table(
      'Models',
      [
        { label: 'Model' },
        { label: 'Version' },
        { label: 'Calls', numeric: true },
        { label: 'Errors', numeric: true },
        { label: 'Anomalies', numeric: true },
        { label: 'Backends' },
        { label: 'Last seen', numeric: true },
      ],
      rows,
    ),
  );
}
