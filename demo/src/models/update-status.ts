import { byId } from '../lib/dom.js';
import { formatError, formatTime } from '../lib/format.js';
import type { Playground } from '../playground.js';

/**
 * The model card's update line: models the demo loads with `{ update: true }` are served from
 * the cache at once and revalidated in the background; this says what the last check found, and
 * checks again on demand.
 */
export function mountUpdateStatus(playground: Playground): void {
  const box = byId('update-status');
  const text = byId('update-text');
  const button = byId<HTMLButtonElement>('update-check');
  /** The last word on each model id: a check's outcome, an update or a rollback. */
  const said = new Map<string, string>();

  const render = () => {
    const entry = playground.current;
    const ready = entry?.status.state === 'ready' && entry.spec.keepCurrent ? entry.status.model : undefined;
    box.hidden = !ready;
    if (!ready) return;
    text.textContent =
      said.get(ready.info.id) ??
      `v${ready.info.version}, kept current: revalidated after each load, every 10 minutes and when the page is shown again.`;
  };

  playground.runtime.on('update', (event) => {
    said.set(event.id, `Updated ${event.from} → ${event.to} (${event.trigger}) at ${formatTime(Date.now())}.`);
    render();
  });
  playground.runtime.on('rollback', (event) => {
    said.set(event.id, `Version ${event.from} refused (${event.reason}): running ${event.to}.`);
    render();
  });
  button.addEventListener('click', async () => {
    const entry = playground.current;
    if (entry?.status.state !== 'ready') return;
    const { model } = entry.status;
    button.disabled = true;
    text.textContent = 'Checking…';
    try {
      const { outcome, version } = await model.checkForUpdate();
      const outcomes = { current: 'up to date', updated: 'updated', rejected: 'a new version was refused', pinned: 'pinned' };
      said.set(model.info.id, `v${version}: ${outcomes[outcome]} (checked at ${formatTime(Date.now())}).`);
    } catch (error) {
      said.set(model.info.id, `Could not check at ${formatTime(Date.now())}: ${formatError(error)}`);
    } finally {
      button.disabled = false;
    }
    render();
  });
  playground.on('models', render);
  render();
}
