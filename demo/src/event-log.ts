import type { Runtime } from 'webinfer';
import { byId, h } from './lib/dom.js';
import { formatTime } from './lib/format.js';

/** Entries kept on the page: the newest first, the oldest dropped. */
const maxEntries = 200;

type Tone = 'bad' | 'warn' | 'good' | 'accent';

/**
 * The events card: what the runtime reports unasked — anomalies from its monitors (latency
 * spikes, non-finite values, out-of-range inputs, drift, confidence collapse), model updates and
 * rollbacks, backend changes after a lost GPU device, worker restarts.
 */
export function mountEventLog(runtime: Runtime): void {
  const list = byId<HTMLOListElement>('event-log');
  const count = byId('event-count');
  let total = 0;
  const add = (kind: string, tone: Tone, subject: string, message: string, at = Date.now()) => {
    total++;
    list.prepend(
      h(
        'li',
        { 'data-kind': kind },
        h(
          'div',
          { class: 'event-head' },
          h('span', { class: `badge ${tone}` }, kind),
          h('strong', {}, subject),
          h('time', { datetime: new Date(at).toISOString() }, formatTime(at)),
        ),
        h('p', {}, message),
      ),
    );
    list.querySelector('.empty')?.remove();
    while (list.children.length > maxEntries) list.lastElementChild?.remove();
    list.dataset.count = String(total);
    count.textContent = String(total);
  };
  list.replaceChildren(h('li', { class: 'empty' }, 'Nothing yet: the monitors are watching every run.'));

  runtime.on('anomaly', (a) => {
    const suppressed = a.suppressed > 0 ? ` (${a.suppressed} more like it since the last)` : '';
    add(
      a.kind,
      a.kind === 'latency' ? 'warn' : 'bad',
      `${a.model} v${a.version} · ${a.tensor}`,
      `${a.message}${suppressed}`,
      a.at,
    );
  });
  runtime.on('update', (e) =>
    add('update', 'good', `${e.id} ${e.from} → ${e.to}`, `Swapped in after ${Math.round(e.preparedMs)} ms (${e.trigger}).`),
  );
  runtime.on('rollback', (e) => add('rollback', 'bad', `${e.id} ${e.from} → ${e.to}`, `${e.reason}: ${e.message}`));
  runtime.on('backend-change', (e) => add('backend-change', 'warn', `${e.id} ${e.from} → ${e.to ?? 'none'}`, e.reason));
  runtime.on('worker-restart', (e) =>
    add(
      'worker-restart',
      e.restarted ? 'warn' : 'bad',
      e.reason,
      `${e.message} — ${e.models.filter((m) => m.ok).length} of ${e.models.length} models loaded again in ${Math.round(e.ms)} ms.`,
    ),
  );
}
