import type { Feeds, Tensor, TensorInfo, Tensors } from '../types.js';
import type { ScratchBuffers } from './scratch-buffers.js';

/**
 * Why a model cannot be batched by stacking rows, or undefined when it can: every input and
 * every output must have a first dimension with one symbolic name (say `batch`), which is what
 * lets requests of `n` rows be stacked along it and the outputs be split back along it.
 */
export function whyNotBatchable(inputs: readonly TensorInfo[], outputs: readonly TensorInfo[]): string | undefined {
  const values = [...inputs, ...outputs];
  const names = new Set(values.map((value) => value.dims?.[0]));
  const [name] = names;
  if (values.length === 0 || names.size !== 1 || typeof name !== 'string') {
    const seen = values.map((value) => `${value.name}: ${value.dims ? `[${value.dims.join(', ')}]` : 'no shape'}`).join('; ');
    return `every input and output must start with the same named dynamic dimension (such as "batch"); got ${seen}`;
  }
  if (values.some((value) => value.type === 'string' || value.type === 'unknown'))
    return 'string and non-tensor values cannot be stacked';
  return undefined;
}

/**
 * Requests that can share a batch: the same inputs with the same dtypes and the same dimensions
 * after the first.
 */
export function batchKey(feeds: Feeds): string {
  return Object.keys(feeds)
    .sort()
    .map((name) => {
      const tensor = feeds[name] as Tensor;
      return `${name}:${tensor.type}:${tensor.dims.slice(1).join('x')}`;
    })
    .join('|');
}

/** Rows each request brings (its first dimension). */
export function rowsOf(feeds: Feeds): number {
  const first = Object.values(feeds)[0];
  return first?.dims[0] ?? 0;
}

/**
 * Stacks requests of one `batchKey` along the first dimension, in order; into memory `scratch`
 * reuses, when given (hand the result back to it once the session has run).
 */
export function stackFeeds(requests: readonly Feeds[], scratch?: ScratchBuffers): Feeds {
  const first = requests[0];
  if (!first) return {};
  const stacked: Record<string, Tensor> = {};
  for (const [name, tensor] of Object.entries(first)) {
    const parts = requests.map((feeds) => (feeds[name] as Tensor).data as Exclude<Tensor['data'], string[]>);
    const length = parts.reduce((sum, part) => sum + part.length, 0);
    const like = tensor.data as Exclude<Tensor['data'], string[]>;
    const data = scratch
      ? scratch.take(like, length)
      : new (like.constructor as new (length: number) => Exclude<Tensor['data'], string[]>)(length);
    let offset = 0;
    for (const part of parts) {
      (data as { set(source: ArrayLike<unknown>, offset: number): void }).set(part, offset);
      offset += part.length;
    }
    const rows = requests.reduce((sum, feeds) => sum + ((feeds[name] as Tensor).dims[0] ?? 0), 0);
    stacked[name] = { type: tensor.type, data, dims: [rows, ...tensor.dims.slice(1)] } as Tensor;
  }
  return stacked;
}

/**
 * Splits a batch's outputs back into one set per request, `rows[i]` rows each. Each part is a
 * copy with a buffer of its own (what a worker transfers), or with `views`, a view on the batch's
 * buffer: no new memory, whose first touch is what a copy costs most (~15 µs a page in a VM here).
 */
export function splitOutputs(outputs: Tensors, rows: readonly number[], { views = false } = {}): Tensors[] {
  const total = rows.reduce((sum, n) => sum + n, 0);
  const parts: Tensors[] = rows.map(() => ({}));
  for (const [name, tensor] of Object.entries(outputs)) {
    const data = tensor.data as Exclude<Tensor['data'], string[]>;
    const perRow = total === 0 ? 0 : data.length / total;
    let row = 0;
    rows.forEach((n, i) => {
      const part = views ? data.subarray(row * perRow, (row + n) * perRow) : data.slice(row * perRow, (row + n) * perRow);
      (parts[i] as Tensors)[name] = { type: tensor.type, data: part, dims: [n, ...tensor.dims.slice(1)] } as Tensor;
      row += n;
    });
  }
  return parts;
}
