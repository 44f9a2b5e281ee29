import type { Tensor, Texts } from '../types.js';

type Scores = Extract<Tensor, { type: 'float32' | 'float64' }>;

/**
 * CTC greedy decoding: per sequence, the best class of each time step, repeats merged, blanks
 * dropped, classes mapped through `alphabet` (index → text). Logits are `[batch, time, classes]`,
 * or `[time, batch, classes]` with `timeFirst`; rank 2 is one sequence `[time, classes]`.
 */
export function ctcGreedy(tensor: Scores, alphabet: readonly string[], blank: number, timeFirst: boolean): Texts {
  const dims = tensor.dims.length === 2 ? [1, ...tensor.dims] : tensor.dims;
  const [d0 = 0, d1 = 0, classes = 0] = dims;
  const [batch, steps] = timeFirst && tensor.dims.length === 3 ? [d1, d0] : [d0, d1];
  const data: string[] = [];
  for (let b = 0; b < batch; b++) {
    let text = '';
    let previous = -1;
    for (let t = 0; t < steps; t++) {
      const base = (timeFirst && tensor.dims.length === 3 ? t * batch + b : b * steps + t) * classes;
      let best = 0;
      for (let c = 1; c < classes; c++) if ((tensor.data[base + c] as number) > (tensor.data[base + best] as number)) best = c;
      if (best !== previous && best !== blank) text += alphabet[best] ?? '';
      previous = best;
    }
    data.push(text);
  }
  return { type: 'text', data, dims: [batch] };
}
