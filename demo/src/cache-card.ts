import type { CachedModel } from 'webinfer';
import { byId, h } from './lib/dom.js';
import { formatBytes, formatError, formatWhen } from './lib/format.js';
import type { Playground } from './playground.js';

/**
 * The cache manager: what webinfer keeps in IndexedDB (each model version, onnxruntime-web's
 * own files), how much of the origin's quota that is, whether the browser may evict it, and
 * buttons to load a cached version, delete one, or clear everything.
 */
export function mountCacheCard(playground: Playground): void {
  const usageBox = byId('cache-usage');
  const table = byId<HTMLTableElement>('cache-table');
  const persist = byId<HTMLButtonElement>('persist-button');
  const clear = byId<HTMLButtonElement>('clear-button');
  const runtime = playground.runtime;

  const act = async (button: HTMLButtonElement, action: () => Promise<unknown>) => {
    button.disabled = true;
    try {
      await action();
    } catch (error) {
      usageBox.append(h('p', { class: 'error' }, formatError(error)));
    } finally {
      button.disabled = false;
      await playground.refreshCache();
    }
  };

  const load = (cached: CachedModel) => {
    const known = [...playground.entries.values()].find((entry) => entry.spec.id === cached.id);
    // A model dropped in an earlier visit: its manifest (a data: URL) is still the cache's key.
    const entry =
      known ??
      playground.add({
        key: `cached:${cached.id}@${cached.version}`,
        id: cached.id,
        title: cached.id,
        summary: 'Your model, from webinfer’s cache: no network needed.',
        kind: 'custom',
        source: cached.manifestUrl,
        keepCurrent: false,
      });
    playground.select(entry.spec.key);
    void playground.load(entry.spec.key);
  };

  const row = (cached: CachedModel) => {
    const loadButton = h('button', { type: 'button', class: 'button ghost small' }, 'Load');
    const deleteButton = h('button', { type: 'button', class: 'button ghost small danger' }, 'Delete');
    loadButton.addEventListener('click', () => load(cached));
    deleteButton.addEventListener('click', () => act(deleteButton, () => runtime.cache.delete(cached.id, cached.version)));
    return h(
      'tr',
      { 'data-model': cached.id },
      h('td', {}, h('strong', {}, cached.id)),
      h('td', {}, h('code', {}, cached.version)),
      h('td', { class: 'num' }, formatBytes(cached.bytes)),
      h('td', {}, formatWhen(cached.storedAt)),
      h('td', {}, formatWhen(cached.lastUsedAt)),
      h('td', { class: 'num' }, h('span', { class: 'actions' }, loadButton, deleteButton)),
    );
  };

  const render = () => {
    const usage = playground.usage;
    const origin = usage?.origin;
    const bar = h('div', { class: 'bar' }, h('span'));
    if (origin && origin.quota > 0)
      (bar.firstElementChild as HTMLElement).style.width = `${Math.max(0.5, (origin.usage / origin.quota) * 100)}%`;
    usageBox.replaceChildren(
      ...(usage
        ? [
            h(
              'p',
              {},
              h('strong', {}, formatBytes(usage.bytes)),
              ` in webinfer’s cache, ${formatBytes(usage.runtimeBytes)} of it onnxruntime-web’s .wasm (kept for offline loads).`,
            ),
            ...(origin
              ? [bar, h('p', { class: 'muted' }, `This site uses ${formatBytes(origin.usage)} of ${formatBytes(origin.quota)}.`)]
              : []),
            h(
              'p',
              { class: 'muted' },
              usage.persisted
                ? 'Storage is persistent: the browser keeps it under storage pressure.'
                : 'Storage is best-effort: the browser may evict it under storage pressure.',
            ),
          ]
        : [h('p', { class: 'muted' }, 'The cache is unavailable here (IndexedDB refused).')]),
    );
    persist.disabled = usage?.persisted === true;
    table.dataset.count = String(playground.cached.length);
    table.replaceChildren(
      ...(playground.cached.length
        ? [
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['Model', 'Version', 'Size', 'Stored', 'Last used', ''].map((name) => h('th', { scope: 'col' }, name)),
              ),
            ),
            h('tbody', {}, ...playground.cached.map(row)),
          ]
        : [h('tbody', {}, h('tr', {}, h('td', { class: 'empty' }, 'No model cached yet: load one.')))]),
    );
  };

  persist.addEventListener('click', () => act(persist, () => runtime.cache.persist()));
  clear.addEventListener('click', () => {
    if (confirm('Delete every model and file webinfer stored on this device?')) void act(clear, () => runtime.cache.clear());
  });
  playground.on('cache', render);
  render();
}
