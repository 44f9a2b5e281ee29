import { h } from './element.js';

/**
 * A thin bar `fraction` (0..1) of its track long. Its width is set through the CSSOM, which a
 * `style-src 'self'` policy allows; a `style` attribute in markup it would refuse.
 */
export function meter(fraction: number, tone = ''): HTMLElement {
  const fill = h('span', { class: `meter-fill ${tone}`.trim() });
  fill.style.width = `${Math.max(0, Math.min(1, fraction)) * 100}%`;
  return h('span', { class: 'meter', attrs: { 'aria-hidden': 'true' } }, fill);
}
