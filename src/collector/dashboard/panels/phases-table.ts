import { loadPhases, runPhases } from '../../../monitor/metrics.js';
import type { PhaseFigures } from '../api.js';
import { h } from '../lib/element.js';
import { emptyState } from '../lib/empty-state.js';
import { formatDuration } from '../lib/format-duration.js';
import { formatCount } from '../lib/format-number.js';
import { meter } from '../lib/meter.js';
import { table } from '../lib/table.js';

/** `absoluteError` is a histogram of the model's output units, not a phase's seconds. */
const notDurations: ReadonlySet<string> = new Set(['absoluteError']);

const groups = [
  { label: 'Call', phases: runPhases as readonly string[] },
  { label: 'Load', phases: loadPhases as readonly string[] },
] as const;

function phaseRow(row: PhaseFigures, longestP95: number): HTMLTableRowElement {
  return h(
    'tr',
    {},
    h('th', { attrs: { scope: 'row' } }, h('span', { class: 'phase-name' }, row.phase), meter((row.p95 ?? 0) / longestP95)),
    h('td', { class: 'num' }, formatCount(row.count)),
    h('td', { class: 'num' }, formatDuration(row.p50)),
    h('td', { class: 'num strong' }, formatDuration(row.p95)),
    h('td', { class: 'num' }, formatDuration(row.p99)),
    h('td', { class: 'num muted' }, formatDuration(row.mean)),
  );
}

/**
 * A call's phases (queue to total) then a load's (manifest to first inference), each with its
 * quantiles and a bar of its p95 against the group's longest, so the slow part stands out.
 */
export function renderPhasesTable(container: HTMLElement, phases: readonly PhaseFigures[]): void {
  const timed = phases.filter((row) => row.count > 0 && !notDurations.has(row.phase));
  if (timed.length === 0) {
    container.replaceChildren(emptyState('No call or load timed in this range.'));
    return;
  }
  const known = new Set<string>(groups.flatMap((group) => group.phases));
  const sections = [
    ...groups.map((group) => ({
      label: group.label,
      rows: group.phases.flatMap((phase) => timed.filter((row) => row.phase === phase)),
    })),
    { label: 'Other', rows: timed.filter((row) => !known.has(row.phase)) },
  ].filter((section) => section.rows.length > 0);
  const rows = sections.flatMap((section) => {
    const longest = Math.max(...section.rows.map((row) => row.p95 ?? 0)) || 1;
    return [
      h('tr', { class: 'group-row' }, h('th', { attrs: { scope: 'rowgroup', colspan: '6' } }, section.label)),
      ...section.rows.map((row) => phaseRow(row, longest)),
    ];
  });
  container.replaceChildren(
    table(
      'Phases',
      [
        { label: 'Phase' },
        { label: 'Count', numeric: true },
        { label: 'p50', numeric: true },
        { label: 'p95', numeric: true },
        { label: 'p99', numeric: true },
        { label: 'Mean', numeric: true },
      ],
      rows,
    ),
  );
}
