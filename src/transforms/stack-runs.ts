import type { Tensor, Tensors } from '../types.js';

/** The outputs of consecutive runs (one per audio frame), each stacked on a new first axis. */
export function stackRuns(runs: readonly Tensors[]): Tensors {
  const [first] = runs;
  if (!first || runs.length === 1) return first ?? {};
  const stacked: Tensors = {};
  for (const [name, tensor] of Object.entries(first)) {
    if (!ArrayBuffer.isView(tensor.data)) continue; // string outputs do not stack
    const parts = runs.map((run) => run[name]?.data as typeof tensor.data & ArrayLike<number>);
    const Kind = tensor.data.constructor as new (
      length: number,
    ) => typeof tensor.data & { set(a: ArrayLike<number | bigint>, o: number): void };
    const data = new Kind(parts.reduce((n, part) => n + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      data.set(part as ArrayLike<number>, offset);
      offset += part.length;
    }
    stacked[name] = { type: tensor.type, data, dims: [runs.length, ...tensor.dims] } as Tensor;
  }
  return stacked;
}
