import { CLSThresholds, FCPThresholds, INPThresholds, LCPThresholds, TTFBThresholds } from 'web-vitals';
import type { VitalFigures, VitalName } from '../api.js';
import { h } from '../lib/element.js';
import { emptyState } from '../lib/empty-state.js';
import { formatDuration } from '../lib/format-duration.js';
import { formatCount, formatPercent } from '../lib/format-number.js';

/** web-vitals' own [good, poor] bounds (ms; CLS unitless), so the colours match its ratings. */
const thresholds: Readonly<Record<VitalName, readonly number[]>> = {
  LCP: LCPThresholds,
  INP: INPThresholds,
  CLS: CLSThresholds,
  FCP: FCPThresholds,
  TTFB: TTFBThresholds,
};

const order: readonly VitalName[] = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'];

const descriptions: Readonly<Record<VitalName, string>> = {
  LCP: 'Largest Contentful Paint',
  INP: 'Interaction to Next Paint',
  CLS: 'Cumulative Layout Shift',
  FCP: 'First Contentful Paint',
  TTFB: 'Time to First Byte',
};

type Rating = 'good' | 'needs-improvement' | 'poor';

function ratingOf(name: VitalName, value: number): Rating {
  const [good = Number.POSITIVE_INFINITY, poor = Number.POSITIVE_INFINITY] = thresholds[name];
  return value <= good ? 'good' : value <= poor ? 'needs-improvement' : 'poor';
}

const formatVital = (name: VitalName, value: number) =>
  name === 'CLS' ? String(Number(value.toFixed(3))) : formatDuration(value / 1000);

/** Good, needs-improvement and poor shares side by side, each as wide as its share. */
function shares(vital: VitalFigures): HTMLElement {
  const total = vital.good + vital.needsImprovement + vital.poor;
  const parts = [
    ['good', vital.good],
    ['needs-improvement', vital.needsImprovement],
    ['poor', vital.poor],
  ] as const;
  const bar = h('div', { class: 'rating-bar', attrs: { 'aria-hidden': 'true' } });
  const legend = h('p', { class: 'rating-legend' });
  for (const [rating, count] of parts) {
    const share = total > 0 ? count / total : 0;
    const part = h('span', { class: `rating-part rating-${rating}` });
    part.style.width = `${share * 100}%`;
    bar.append(part);
    legend.append(h('span', { class: `rating-key rating-${rating}` }, formatPercent(share)));
  }
  return h('div', { class: 'rating' }, bar, legend);
}

function vitalCard(name: VitalName, vital: VitalFigures | undefined): HTMLElement {
  const p75 = vital && vital.count > 0 ? vital.p75 : null;
  const value =
    p75 === null
      ? h('p', { class: 'vital-value muted' }, '—')
      : h('p', { class: `vital-value rating-text-${ratingOf(name, p75)}` }, formatVital(name, p75));
  return h(
    'section',
    { class: 'vital', attrs: { 'data-vital': name, 'aria-label': descriptions[name] } },
    h('h3', { class: 'vital-name', title: descriptions[name] }, name, h('span', { class: 'muted' }, ' p75')),
    value,
    vital && vital.count > 0 ? shares(vital) : h('p', { class: 'rating-legend muted' }, 'no reports'),
    h('p', { class: 'vital-count muted' }, vital ? `${formatCount(vital.count)} report${vital.count === 1 ? '' : 's'}` : ''),
  );
}

/** Web vitals of the pages that run models: p75 coloured by its rating, and the shares of each rating. */
export function renderVitals(container: HTMLElement, vitals: readonly VitalFigures[]): void {
  if (vitals.every((vital) => vital.count === 0)) {
    container.replaceChildren(
      emptyState('No web vitals in this range. Pages send LCP, INP, CLS, FCP and TTFB with their telemetry beacons.'),
    );
    return;
  }
  container.replaceChildren(
    h(
      'div',
      { class: 'vitals-grid' },
      ...order.map((name) =>
        vitalCard(
          name,
          vitals.find((vital) => vital.name === name),
        ),
      ),
    ),
  );
}
