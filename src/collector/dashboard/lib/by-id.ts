/** The element of index.html with this id, of this type; a mismatch is a bug in the page, said as such. */
export function byId<T extends HTMLElement>(id: string, type: abstract new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) {
    throw new TypeError(`index.html should have a ${type.name} #${id}, has ${element ? element.constructor.name : 'none'}`);
  }
  return element;
}
