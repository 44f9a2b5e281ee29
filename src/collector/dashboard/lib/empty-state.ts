import { type Child, h } from './element.js';

/** The line a panel shows instead of figures: what is missing, and what to do about it. */
export function emptyState(...message: readonly Child[]): HTMLElement {
  return h('p', { class: 'empty' }, ...message);
}
