import type { AnomaliesAnswer, AnomalyRow } from '../api.js';
import { h } from '../lib/element.js';
import { emptyState } from '../lib/empty-state.js';
import { formatCount } from '../lib/format-number.js';
import { formatAgo, formatWhen } from '../lib/format-time.js';
import { meter } from '../lib/meter.js';
import { table } from '../lib/table.js';

/** `ms=120 · z=5.2`: a detector's figures, numbers to 4 significant digits. */
function detailsText(details: AnomalyRow['details']): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}=${typeof value === 'number' ? Number(value.toPrecision(4)) : value}`)
    .join(' · ');
}

function byKind(answer: AnomaliesAnswer): HTMLElement {
  const kinds = Object.entries(answer.byKind).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const most = kinds[0]?.[1] ?? 1;
  return h(
    'ul',
    { class: 'kind-list', attrs: { 'aria-label': 'Anomalies by kind' } },
    ...kinds.map(([kind, count]) =>
      h(
        'li',
        {},
        h('span', { class: 'badge tone-warn' }, kind),
        meter(count / most, 'warn'),
        h('span', { class: 'num strong' }, formatCount(count)),
      ),
    ),
  );
}

function recentRow(row: AnomalyRow, now: number): HTMLTableRowElement {
  return h(
    'tr',
    {},
    h('td', { class: 'num muted nowrap', title: formatWhen(row.at, now) }, formatAgo(row.at, now)),
    h('td', { class: 'nowrap' }, row.model, h('span', { class: 'muted' }, `@${row.version}`)),
    h('td', {}, h('span', { class: 'badge tone-warn' }, row.kind)),
    h('td', { class: 'mono' }, row.tensor, h('span', { class: 'muted' }, ` (${row.where})`)),
    h('td', { class: 'mono muted details' }, detailsText(row.details)),
    h('td', { class: 'mono muted' }, row.backend),
    h(
      'td',
      { class: 'num muted', title: 'anomalies of this kind the runtime left out before this one' },
      row.suppressed > 0 ? `+${formatCount(row.suppressed)}` : '',
    ),
  );
}

/** Anomalies by kind, with a bar each, and the latest ones with their detector's figures. */
export function renderAnomalies(container: HTMLElement, answer: AnomaliesAnswer): void {
  if (Object.keys(answer.byKind).length === 0 && answer.recent.length === 0) {
    container.replaceChildren(
      emptyState('No anomalies in this range: no NaN/Inf, out-of-range input, drift, latency spike or error burst was reported.'),
    );
    return;
  }
  const now = Date.now();
  container.replaceChildren(
    byKind(answer),
    table(
      'Recent anomalies',
      [
        { label: 'When', numeric: true },
        { label: 'Model' },
        { label: 'Kind' },
        { label: 'Tensor' },
        { label: 'Details' },
        { label: 'Backend' },
        { label: 'Suppressed', numeric: true },
      ],
      answer.recent.map((row) => recentRow(row, now)),
    ),
  );
}
