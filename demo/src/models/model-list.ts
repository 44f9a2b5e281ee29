import { byId, h } from '../lib/dom.js';
import { formatBytes } from '../lib/format.js';
import type { Entry, Playground } from '../playground.js';

/** The sidebar's list of models: each one's state at a glance; a click shows it. */
export function mountModelList(playground: Playground): void {
  const list = byId<HTMLUListElement>('model-list');
  const render = () => {
    list.replaceChildren(
      ...[...playground.entries.values()].map((entry) => {
        const button = h(
          'button',
          {
            type: 'button',
            class: 'model-item',
            'aria-pressed': String(entry.spec.key === playground.selected),
            'data-model': entry.spec.key,
            'data-state': entry.status.state,
          },
          h('span', { class: 'name' }, entry.spec.title),
          badgeOf(entry),
          h('span', { class: 'meta' }, metaOf(entry, playground)),
        );
        button.addEventListener('click', () => playground.select(entry.spec.key));
        return h('li', {}, button);
      }),
    );
  };
  playground.on('models', render);
  playground.on('cache', render);
  render();
}

function badgeOf(entry: Entry): HTMLElement {
  switch (entry.status.state) {
    case 'idle':
      return h('span', { class: 'badge' }, 'not loaded');
    case 'loading':
      return h('span', { class: 'badge accent' }, 'loading');
    case 'ready':
      return h('span', { class: 'badge good' }, entry.status.model.info.backend);
    case 'failed':
      return h('span', { class: 'badge bad' }, 'failed');
  }
}

function metaOf(entry: Entry, playground: Playground): string {
  const status = entry.status;
  if (status.state === 'ready') {
    const { version, bytes, cache } = status.model.info;
    return `v${version} · ${formatBytes(bytes)} · ${cache.state === 'hit' ? 'from cache' : 'downloaded'}`;
  }
  if (status.state === 'loading') {
    const { loaded = 0, total = null } = status.progress ?? {};
    return total ? `${Math.round((loaded / total) * 100)} % of ${formatBytes(total)}` : 'starting…';
  }
  const cached = playground.cached.find((model) => model.id === entry.spec.id);
  return cached ? `in cache: v${cached.version}, ${formatBytes(cached.bytes)}` : 'not cached yet';
}
