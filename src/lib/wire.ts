import { transfer } from 'comlink';
import { deserializeError, type SerializedError, serializeError } from '../errors.js';

/**
 * How a worker call's outcome crosses `postMessage`. Comlink's own throw handler keeps only an
 * error's message, name and stack; rather than replace that handler for every Comlink user on
 * the page (it is a global map), each call's outcome travels as data and the page rebuilds the
 * error's class and code.
 */
export type Wire<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: SerializedError };

/** An API object whose methods report outcomes as `Wire` values. */
export type WireApi<A> = {
  [K in keyof A]: A[K] extends (...args: infer P) => infer R ? (...args: P) => Promise<Wire<Awaited<R>>> : never;
};

const pendingTransfers = new WeakMap<object, Transferable[]>();

/** Marks buffers of a method's return value to be transferred, not copied, to the caller. */
export function withTransfer<T extends object>(value: T, transferables: Transferable[]): T {
  pendingTransfers.set(value, transferables);
  return value;
}

/** Wraps every method of `api` so that it resolves to a `Wire` and never rejects. */
export function toWire<A extends object>(api: A): WireApi<A> {
  const wired: Record<string, unknown> = {};
  for (const [key, method] of Object.entries(api)) {
    if (typeof method !== 'function') continue;
    wired[key] = async (...args: unknown[]) => {
      try {
        const value: unknown = await method.apply(api, args);
        const reply = { ok: true, value } as const;
        const list = typeof value === 'object' && value !== null ? pendingTransfers.get(value) : undefined;
        return list ? transfer(reply, list) : reply;
      } catch (error) {
        return { ok: false, error: serializeError(error) };
      }
    };
  }
  return wired as WireApi<A>;
}

/** Resolves to the value of a `Wire`, or throws its error with class and code restored. */
export function unwire<T>(wire: Wire<T>): T {
  if (wire.ok) return wire.value;
  throw deserializeError(wire.error);
}
