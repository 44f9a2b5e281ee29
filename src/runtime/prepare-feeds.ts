import { isTensorLike } from '../transforms/is-tensor-like.js';
import type { Inputs, Tensor } from '../types.js';

/**
 * Readies feeds to cross to the worker. By default each input's buffer is transferred, not
 * copied: when `data` spans its whole `ArrayBuffer`, that buffer is detached on the page after
 * the call (its length reads 0). A view over part of a larger buffer is copied, so the rest of
 * the caller's buffer stays usable. With `keepInputs`, every input is copied and none detached.
 * `SharedArrayBuffer` data is shared, never copied or detached.
 */
export function prepareFeeds<T extends Inputs>(
  feeds: T,
  { keepInputs = false }: { keepInputs?: boolean } = {},
): { feeds: T; transfer: ArrayBuffer[] } {
  const prepared: Record<string, Inputs[string]> = {};
  const transfer = new Set<ArrayBuffer>();
  for (const [name, tensor] of Object.entries(feeds)) {
    // Raw values for preprocessing (tabular rows, Blobs) are cloned as they are.
    const data = isTensorLike(tensor) ? tensor.data : undefined;
    if (!isTensorLike(tensor) || !ArrayBuffer.isView(data) || !(data.buffer instanceof ArrayBuffer)) {
      prepared[name] = tensor;
      continue;
    }
    const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
    const own = keepInputs || !whole ? data.slice() : data;
    transfer.add(own.buffer as ArrayBuffer);
    prepared[name] = { ...tensor, data: own } as Tensor;
  }
  return { feeds: prepared as T, transfer: [...transfer] };
}
