import type { Model, OutputValue, TensorInfo } from 'webinfer';
import { byId, h } from '../lib/dom.js';
import { formatDims, formatMs } from '../lib/format.js';
import type { Panel } from '../panel.js';
import type { Playground } from '../playground.js';
import { concreteDims, randomFeeds, ungenerable } from './random-feeds.js';

/**
 * A model the user dropped: its inputs as the session declares them, a run on random inputs of
 * those shapes, and what came out (shape, range, first values).
 */
export function mountCustomPanel(playground: Playground): Panel {
  const inputs = byId<HTMLTableElement>('custom-inputs');
  const outputs = byId<HTMLTableElement>('custom-outputs');
  let shown: Model | undefined;
  return {
    show(model: Model | undefined) {
      if (model === shown) return;
      shown = model;
      outputs.replaceChildren();
      inputs.replaceChildren(
        ...(model
          ? [
              head('Input', 'Type', 'Declared', 'Generated'),
              ...model.info.inputs.map((info: TensorInfo) =>
                row(
                  h('code', {}, info.name),
                  info.type,
                  formatDims(info.dims),
                  ungenerable(info) ?? formatDims(concreteDims(info)),
                ),
              ),
            ]
          : []),
      );
    },
    async run(key: string, model: Model): Promise<string> {
      const { outputs: values, timings } = await playground.run(key, randomFeeds(model.info.inputs));
      outputs.replaceChildren(
        head('Output', 'Type', 'Shape', 'Min', 'Mean', 'Max', 'First values'),
        ...Object.entries(values).map(([name, value]) => outputRow(name, value)),
      );
      return `inference ${formatMs(timings.inferenceMs)}, round trip ${formatMs(timings.roundTripMs)}`;
    },
  };
}

function head(...names: string[]): HTMLTableSectionElement {
  return h('thead', {}, h('tr', {}, ...names.map((name) => h('th', { scope: 'col' }, name))));
}

function row(...cells: (Node | string)[]): HTMLTableRowElement {
  return h('tr', {}, ...cells.map((cell) => h('td', {}, cell)));
}

function outputRow(name: string, value: OutputValue): HTMLTableRowElement {
  const data = value.data as ArrayLike<unknown>;
  const numbers = ArrayBuffer.isView(value.data) ? Array.from(data, Number) : [];
  const first = Array.from({ length: Math.min(6, data.length) }, (_, i) =>
    numbers.length ? format(numbers[i] as number) : JSON.stringify(data[i]),
  );
  const stat = (pick: (values: number[]) => number) => (numbers.length ? format(pick(numbers)) : '—');
  return row(
    h('code', {}, name),
    value.type,
    formatDims(value.dims),
    stat((values) => values.reduce((a, b) => Math.min(a, b))),
    stat((values) => values.reduce((a, b) => a + b, 0) / values.length),
    stat((values) => values.reduce((a, b) => Math.max(a, b))),
    h('code', {}, `${first.join(', ')}${data.length > 6 ? ', …' : ''}`),
  );
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}
