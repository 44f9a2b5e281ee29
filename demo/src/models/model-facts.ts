import type { ModelInfo, TensorInfo } from 'webinfer';
import { byId, type Child, h } from '../lib/dom.js';
import { formatBytes, formatDims, formatMs } from '../lib/format.js';

const terms = ['Backend', 'Threads', 'Worker isolation', 'Version', 'Cache', 'Size', 'Load', 'Inputs', 'Outputs'];

/**
 * What `model.info` says, as a list of facts: where the model runs and why, how it loaded, what
 * it takes. Before a load the same facts stand empty, so the card keeps its size when they fill in.
 */
export function renderFacts(info: ModelInfo | undefined): void {
  const list = byId<HTMLDListElement>('model-info');
  if (!info) {
    list.removeAttribute('data-backend');
    list.removeAttribute('data-cache');
    list.replaceChildren(
      ...terms.map((term) => fact(term, h('span', { class: 'muted' }, '—'), ['Inputs', 'Outputs'].includes(term))),
    );
    return;
  }
  list.dataset.backend = info.backend;
  list.dataset.cache = info.cache.state;
  const { loadTimings: t, transforms } = info;
  list.replaceChildren(
    fact('Backend', [h('span', { class: 'badge good' }, info.backend), ' ', backendReason(info)]),
    fact('Threads', [
      String(info.threads),
      info.singleThreadReason ? h('span', { class: 'muted' }, ` — ${info.singleThreadReason}`) : null,
    ]),
    fact('Worker isolation', info.crossOriginIsolated ? 'cross-origin isolated' : 'not isolated: one wasm thread'),
    fact('Version', [h('code', {}, info.version), info.variant ? ` (${info.variant.name}, ${info.variant.precision})` : null]),
    fact('Cache', cacheText(info)),
    fact('Size', formatBytes(info.bytes)),
    fact('Load', [
      formatMs(info.loadMs),
      h(
        'span',
        { class: 'muted' },
        ` — manifest ${formatMs(t.manifestMs)}, cache read ${formatMs(t.cacheReadMs)}, download ${formatMs(t.downloadMs)}, session ${formatMs(t.sessionMs)}`,
      ),
    ]),
    fact(
      'Inputs',
      tensorList(info.inputs, (name) => inputNote(name, transforms)),
      true,
    ),
    fact(
      'Outputs',
      tensorList(info.outputs, (name) => transforms?.outputs[name]?.join(' → ')),
      true,
    ),
  );
}

function fact(term: string, value: Child | Child[], wide = false): HTMLElement {
  return h('div', { class: wide ? 'wide' : undefined }, h('dt', {}, term), h('dd', {}, ...[value].flat()));
}

function backendReason(info: ModelInfo): string {
  if (info.fallbackReason) return `— ${info.fallbackReason}`;
  return info.attempts.length > 1 ? '' : '— the first backend asked for';
}

function cacheText(info: ModelInfo): string {
  const { state, reason } = info.cache;
  if (state === 'hit') return 'read from webinfer’s cache, each file verified';
  if (state === 'stored') return 'downloaded, verified and stored for next time';
  return `not cached${reason ? `: ${reason}` : ''}`;
}

function inputNote(name: string, transforms: ModelInfo['transforms']): string | undefined {
  if (transforms?.provided.includes(name)) return 'fed by the runtime';
  const reader = transforms?.inputs[name];
  return reader ? `takes raw ${reader === 'audio' ? 'audio' : reader === 'image' ? 'images' : reader}` : undefined;
}

function tensorList(tensors: readonly TensorInfo[], note: (name: string) => string | undefined): HTMLElement {
  return h(
    'ul',
    { class: 'tensor-list' },
    ...tensors.map((tensor) => {
      const extra = note(tensor.name);
      return h(
        'li',
        {},
        h('code', {}, tensor.name),
        ` ${tensor.type} ${formatDims(tensor.dims)}`,
        extra ? h('span', { class: 'muted' }, ` — ${extra}`) : null,
      );
    }),
  );
}
