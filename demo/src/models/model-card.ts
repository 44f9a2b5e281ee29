import { byId } from '../lib/dom.js';
import { formatError } from '../lib/format.js';
import type { Playground } from '../playground.js';
import { renderProgress } from './load-progress.js';
import { renderFacts } from './model-facts.js';
import { mountUpdateStatus } from './update-status.js';

/** The card of the model shown: what it is, its Load button, the load's progress, and `model.info`. */
export function mountModelCard(playground: Playground): void {
  const button = byId<HTMLButtonElement>('load-button');
  const error = byId('load-error');
  const card = byId('model-card');
  button.addEventListener('click', () => {
    if (playground.selected !== undefined) void playground.load(playground.selected);
  });
  const render = () => {
    const entry = playground.current;
    byId('model-title').textContent = entry?.spec.title ?? 'Pick a model';
    byId('model-summary').textContent = entry ? [entry.spec.summary, entry.spec.credit].filter(Boolean).join(' ') : '';
    const status = entry?.status ?? { state: 'idle' as const };
    card.dataset.state = status.state;
    button.disabled = !entry || status.state === 'loading';
    button.textContent = status.state === 'ready' ? 'Load again' : status.state === 'loading' ? 'Loading…' : 'Load';
    button.title = status.state === 'ready' ? 'Dispose the session and load again: the files come from the cache' : '';
    renderProgress(status);
    error.hidden = status.state !== 'failed';
    error.textContent = status.state === 'failed' ? formatError(status.error) : '';
    renderFacts(status.state === 'ready' ? status.model.info : undefined);
  };
  playground.on('models', render);
  mountUpdateStatus(playground);
  render();
}
