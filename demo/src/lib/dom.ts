/** The element with `id`, typed as index.html makes it: a missing one is a bug in the markup. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from index.html`);
  return element as T;
}

type Attributes = Readonly<Record<string, string | number | boolean | undefined>>;
export type Child = Node | string | number | null | undefined | false;

/**
 * An element with attributes and children, built without HTML strings (so nothing a model or a
 * file name says is ever parsed as markup). `false` and `undefined` attributes are left out.
 *
 * @example
 * h('span', { class: 'badge good' }, 'wasm')
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false)
      element.append(typeof child === 'number' ? String(child) : child);
  }
  return element;
}
