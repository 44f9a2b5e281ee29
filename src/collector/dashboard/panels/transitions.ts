import type { TransitionRow } from '../api.js';
import { h } from '../lib/element.js';
import { emptyState } from '../lib/empty-state.js';
import { formatDuration } from '../lib/format-duration.js';
import { formatCount } from '../lib/format-number.js';
import { formatAgo, formatWhen } from '../lib/format-time.js';
import { table } from '../lib/table.js';

/**
 * What each reason means, for its tooltip (src/runtime/update-types.ts: `UpdateTrigger` and
 * `RollbackEvent.reason`); `manual` is a different call for each kind.
 */
const reasonTitles: Readonly<Record<TransitionRow['kind'], Readonly<Record<string, string>>>> = {
  update: {
    load: 'found by the check after the model loaded',
    interval: 'found by the periodic update check',
    visible: 'found by the check when the page became visible',
    manual: 'found by model.checkForUpdate()',
    pin: 'model.pin(version)',
  },
  rollback: {
    'canary-failed': 'the new version failed its canary call, so it was never swapped in',
    'load-failed': 'the new version did not load, so it was never swapped in',
    errors: 'too many of its first calls failed',
    anomalies: 'too many of its first calls showed anomalies',
    manual: 'model.rollback()',
  },
};

/** A figure an update has and a rollback does not: blank for a rollback, `—` for an update that lacks it. */
function updateFigure(row: TransitionRow, value: number | null, format: (value: number) => string): string {
  if (value !== null) return format(value);
  return row.kind === 'rollback' ? '' : '—';
}

function transitionRow(row: TransitionRow, now: number): HTMLTableRowElement {
  const rollback = row.kind === 'rollback';
  return h(
    'tr',
    {},
    h('td', { class: 'num muted nowrap', title: formatWhen(row.at, now) }, formatAgo(row.at, now)),
    h('td', { class: 'nowrap' }, row.model),
    h(
      'td',
      { class: 'mono nowrap', title: rollback ? `gave up ${row.from}, runs ${row.to}` : `swapped ${row.from} for ${row.to}` },
      rollback ? h('span', { class: 'text-warn' }, row.from) : row.from,
      h('span', { class: 'muted' }, ' → '),
      row.to,
    ),
    h('td', {}, h('span', { class: `badge ${rollback ? 'tone-warn' : 'tone-accent'}` }, row.kind)),
    h('td', { class: 'mono muted', title: reasonTitles[row.kind][row.reason] ?? '' }, row.reason),
    h('td', { class: 'num' }, updateFigure(row, row.inFlight, formatCount)),
    h(
      'td',
      { class: 'num' },
      updateFigure(row, row.preparedMs, (ms) => formatDuration(ms / 1000)),
    ),
  );
}

/**
 * `2 updates · 1 rollback`: the rows' kinds counted, for the panel's header; said of the latest
 * `limit` when the list is that long (older ones were left out).
 */
export function transitionsSummary(transitions: readonly TransitionRow[], limit: number): string {
  const updates = transitions.filter((row) => row.kind === 'update').length;
  const rollbacks = transitions.length - updates;
  const counts = `${formatCount(updates)} update${updates === 1 ? '' : 's'} · ${formatCount(rollbacks)} rollback${rollbacks === 1 ? '' : 's'}`;
  return transitions.length >= limit ? `the latest ${limit}: ${counts}` : counts;
}

/** The versions pages swapped in and gave up, the newest first, with an update's swap figures. */
export function renderTransitions(container: HTMLElement, transitions: readonly TransitionRow[]): void {
  if (transitions.length === 0) {
    container.replaceChildren(emptyState('No model changed version in this range: no update was swapped in, none rolled back.'));
    return;
  }
  const now = Date.now();
  container.replaceChildren(
    table(
      'Model updates',
      [
        { label: 'When', numeric: true },
        { label: 'Model' },
        { label: 'Version' },
        { label: 'Kind' },
        { label: 'Reason' },
        { label: 'In flight', numeric: true },
        { label: 'Prepared in', numeric: true },
      ],
      transitions.map((row) => transitionRow(row, now)),
    ),
  );
}
