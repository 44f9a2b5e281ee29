import type { PageMetrics, Runtime } from 'webinfer';
import { byId, h } from './lib/dom.js';
import { formatError, formatMs, formatTime } from './lib/format.js';

type Vitals = PageMetrics['vitals'];
const names = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'] as const;
const refreshMs = 1_000;

/**
 * This page's web-vitals and long frames. With a collector, they are the runtime's own
 * (`rt.metrics().page`: what the beacons carry, long frames judged against model calls in
 * flight); without one, telemetry is off and the page measures its vitals with web-vitals itself.
 */
export function mountVitalsCard(runtime: Runtime, collector: boolean): void {
  const list = byId<HTMLDListElement>('vitals');
  const text = byId('telemetry-text');
  const flush = byId<HTMLButtonElement>('flush-button');
  const own: Record<string, { value: number; rating: 'good' | 'needs-improvement' | 'poor' }> = {};
  if (!collector) {
    void import('web-vitals').then((vitals) => {
      for (const on of [vitals.onLCP, vitals.onINP, vitals.onCLS, vitals.onFCP, vitals.onTTFB]) {
        on(
          ({ name, value, rating }) => {
            own[name] = { value, rating };
          },
          { reportAllChanges: true },
        );
      }
    });
  }

  const render = () => {
    const page = runtime.metrics().page;
    const vitals: Vitals = page?.vitals ?? own;
    list.replaceChildren(
      ...names.map((name) => {
        const vital = vitals[name];
        return h(
          'div',
          { 'data-rating': vital?.rating, 'data-vital': name },
          h('dt', {}, name),
          h('dd', {}, vital ? (name === 'CLS' ? vital.value.toFixed(3) : formatMs(vital.value)) : '—'),
        );
      }),
      ...(page
        ? [
            h(
              'div',
              { 'data-vital': 'long-frames' },
              h('dt', {}, 'Long frames'),
              h(
                'dd',
                {},
                `${page.longFrames.count}`,
                h('span', { class: 'muted small' }, ` · ${page.longFrames.duringInference} in a call`),
              ),
            ),
          ]
        : []),
    );
  };

  flush.hidden = !collector;
  text.textContent = collector
    ? 'Telemetry is on: latency histograms, anomalies and these vitals go to this origin’s collector (/collect) every 15 s and when the page is hidden — never model inputs.'
    : 'No collector answers on this origin (/healthz), so telemetry is off. `npm start` serves the demo with one.';
  flush.addEventListener('click', async () => {
    flush.disabled = true;
    try {
      await runtime.flushTelemetry();
      text.textContent = `Telemetry sent (or queued while offline) at ${formatTime(Date.now())}.`;
    } catch (error) {
      text.textContent = formatError(error);
    } finally {
      flush.disabled = false;
    }
  });
  render();
  setInterval(render, refreshMs);
}
