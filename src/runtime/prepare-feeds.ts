import type { Feeds, Tensor } from '../types.js';

/**
 * Readies feeds to cross to the worker. By default each input's buffer is transferred, not
 * copied: when `data` spans its whole `ArrayBuffer`, that buffer is detached on the page after
 * the call (its length reads 0). A view over part of a larger buffer is copied, so the rest of
 * the caller's buffer stays usable. With `keepInputs`, every input is copied and none detached.
 * `SharedArrayBuffer` data is shared, never copied or detached.
 */
export function prepareFeeds(
  feeds: Feeds,
  { keepInputs = false }: { keepInputs?: boolean } = {},
): { feeds: Feeds; transfer: ArrayBuffer[] } {
  const prepared: Record<string, Tensor> = {};
  const transfer = new Set<ArrayBuffer>();
  for (const [name, tensor] of Object.entries(feeds)) {
    const { data } = tensor;
    if (!ArrayBuffer.isView(data) || !(data.buffer instanceof ArrayBuffer)) {
      prepared[name] = tensor;
      continue;
    }
    const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
    const own = keepInputs || !whole ? data.slice() : data;
    transfer.add(own.buffer as ArrayBuffer);
    prepared[name] = { ...tensor, data: own } as Tensor;
  }
  return { feeds: prepared, transfer: [...transfer] };
}
