import { ModelError } from '../errors.js';
import type { BatchingInfo, Feeds, Tensor, TensorInfo, Tensors, TensorType } from '../types.js';
import { splitOutputs, stackFeeds, whyNotBatchable } from './batch-feeds.js';
import type { BatchingOptions } from './batcher.js';

const probeRows = 3;

/**
 * Decides whether a model may batch: its shapes must allow stacking (`whyNotBatchable`), and a
 * probe must find that three rows run as one batch give exactly, bit for bit, the outputs of the
 * three rows run alone. Shapes cannot prove rows independent (an operator may mix them); the probe
 * catches a model where they are not. Throws `not-batchable` naming what failed.
 */
export async function checkBatching(
  inputs: readonly TensorInfo[],
  outputs: readonly TensorInfo[],
  options: BatchingOptions,
  infer: (feeds: Feeds) => Promise<{ outputs: Tensors }>,
): Promise<BatchingInfo> {
  const refusal = whyNotBatchable(inputs, outputs);
  if (refusal) throw new ModelError('not-batchable', `This model cannot batch: ${refusal}`, { details: { reason: refusal } });
  const symbolic = inputs.find((input) => input.dims?.slice(1).some((dim) => typeof dim !== 'number' || dim < 0));
  if (symbolic) {
    const unverifiedReason = `input "${symbolic.name}" has symbolic dimensions past the first ([${symbolic.dims?.join(', ')}]), so no probe could be built`;
    return { ...options, verified: false, unverifiedReason };
  }
  const rows = Array.from({ length: probeRows }, (_, row) => probeFeeds(inputs, row));
  const alone: Tensors[] = [];
  for (const feeds of rows) alone.push((await infer(feeds)).outputs);
  const batched = splitOutputs(
    (await infer(stackFeeds(rows))).outputs,
    rows.map(() => 1),
  );
  batched.forEach((outputsOfRow, row) => {
    for (const [name, tensor] of Object.entries(outputsOfRow)) {
      const single = alone[row]?.[name];
      const mismatch = single ? firstDifference(tensor, single) : 0;
      if (mismatch !== undefined) {
        const message = `row ${row} of output "${name}" differs between a batch of ${probeRows} and a run alone (element ${mismatch}): its rows are not independent, or the kernels differ by batch size`;
        throw new ModelError('not-batchable', `This model cannot batch: ${message}`, {
          details: { output: name, row, element: mismatch },
        });
      }
    }
  });
  return { ...options, verified: true };
}

/** One row of deterministic inputs: small values that any dtype holds (token ids stay tiny too). */
function probeFeeds(inputs: readonly TensorInfo[], row: number): Feeds {
  const feeds: Record<string, Tensor> = {};
  for (const input of inputs) {
    const dims = [1, ...((input.dims ?? []).slice(1) as number[])];
    const length = dims.reduce((a, b) => a * b, 1);
    const value = (i: number) => ((i * 7 + row * 13) % 5) - 2; // -2..2
    feeds[input.name] = { type: input.type, data: filled(input.type as TensorType, length, value), dims } as Tensor;
  }
  return feeds;
}

function filled(type: TensorType, length: number, value: (i: number) => number): Tensor['data'] {
  const positive = (i: number) => Math.abs(value(i));
  switch (type) {
    case 'float32':
      return Float32Array.from({ length }, (_, i) => value(i) / 2);
    case 'float64':
      return Float64Array.from({ length }, (_, i) => value(i) / 2);
    case 'int8':
      return Int8Array.from({ length }, (_, i) => value(i));
    case 'int16':
      return Int16Array.from({ length }, (_, i) => value(i));
    case 'int32':
      return Int32Array.from({ length }, (_, i) => value(i));
    case 'int64':
      return BigInt64Array.from({ length }, (_, i) => BigInt(positive(i)));
    case 'uint64':
      return BigUint64Array.from({ length }, (_, i) => BigInt(positive(i)));
    case 'uint8':
      return Uint8Array.from({ length }, (_, i) => positive(i));
    case 'bool':
      return Uint8Array.from({ length }, (_, i) => positive(i) % 2);
    case 'uint16':
      return Uint16Array.from({ length }, (_, i) => positive(i));
    case 'uint32':
      return Uint32Array.from({ length }, (_, i) => positive(i));
    case 'float16':
      return new Uint16Array(length); // zeros: a float16 bit pattern every value agrees on
    case 'string':
      return Array.from({ length }, () => '');
  }
}

/** The first element where `a` and `b` differ bit for bit, or undefined when they are identical. */
function firstDifference(a: Tensor, b: Tensor): number | undefined {
  const x = a.data as ArrayLike<unknown>;
  const y = b.data as ArrayLike<unknown>;
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return undefined;
}
