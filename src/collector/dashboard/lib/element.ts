/** What `h` appends: nodes as they are, strings and numbers as text (never parsed as HTML). */
export type Child = Node | string | number | null | undefined | false;

export interface ElementProps {
  readonly class?: string;
  readonly title?: string;
  /** Other attributes (`role`, `aria-*`, `data-*`, `href`...); never `style`, which the page's CSP refuses. */
  readonly attrs?: Readonly<Record<string, string>>;
}

/**
 * An element with its children, built with DOM calls only: model names, error codes and anomaly
 * details come from beacons, which anyone who can reach `/collect` writes, so none is ever parsed
 * as markup.
 *
 * @example
 * h('td', { class: 'num' }, formatCount(row.runs));
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  ...children: readonly Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class) element.className = props.class;
  if (props.title) element.title = props.title;
  for (const [name, value] of Object.entries(props.attrs ?? {})) element.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'number' ? String(child) : child);
  }
  return element;
}
