import { h } from './element.js';

/** A column of `table`: its heading, and whether it holds figures (right-aligned, tabular digits). */
export interface Column {
  readonly label: string;
  readonly numeric?: boolean;
}

/** A dense table with a header row, named for assistive technology by `label`. */
export function table(label: string, columns: readonly Column[], rows: readonly HTMLTableRowElement[]): HTMLTableElement {
  const head = columns.map((column) => h('th', { class: column.numeric ? 'num' : '', attrs: { scope: 'col' } }, column.label));
  return h(
    'table',
    { class: 'grid-table', attrs: { 'aria-label': label } },
    h('thead', {}, h('tr', {}, ...head)),
    h('tbody', {}, ...rows),
  );
}
