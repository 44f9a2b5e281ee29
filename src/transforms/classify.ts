import type { Prediction, Predictions, Tensor } from '../types.js';

/** A tensor of scores: float32 or float64 data, read as numbers. */
type Scores = Extract<Tensor, { type: 'float32' | 'float64' }>;

/** Rows of a tensor whose last dimension holds one score per class. */
function rowsOf(tensor: Scores): { rows: number; classes: number } {
  const classes = tensor.dims.at(-1) ?? tensor.data.length;
  return { rows: classes === 0 ? 0 : tensor.data.length / classes, classes };
}

/** exp(x − max) ÷ Σ exp(x − max) along `axis` (negative counts from the end), as ONNX Softmax-13. */
export function softmax(tensor: Scores, axis = -1): Scores {
  const rank = Math.max(tensor.dims.length, 1);
  const at = axis < 0 ? rank + axis : axis;
  const size = tensor.dims[at] ?? tensor.data.length;
  const inner = tensor.dims.slice(at + 1).reduce((n, d) => n * d, 1);
  const outer = size * inner === 0 ? 0 : tensor.data.length / (size * inner);
  const out = new Float32Array(tensor.data.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < size; k++) max = Math.max(max, tensor.data[base + k * inner] as number);
      let sum = 0;
      for (let k = 0; k < size; k++) sum += Math.exp((tensor.data[base + k * inner] as number) - max);
      for (let k = 0; k < size; k++) out[base + k * inner] = Math.exp((tensor.data[base + k * inner] as number) - max) / sum;
    }
  }
  return { type: 'float32', data: out, dims: tensor.dims };
}

/** 1 ÷ (1 + e^−x), element-wise. */
export function sigmoid(tensor: Scores): Scores {
  return { type: 'float32', data: Float32Array.from(tensor.data, (x) => 1 / (1 + Math.exp(-x))), dims: tensor.dims };
}

/** Per row, the classes chosen by `pick` from (index, score) pairs sorted best first (ties: lower index first). */
function predictions(
  tensor: Scores,
  labels: readonly string[] | undefined,
  pick: (sorted: Prediction[]) => Prediction[],
): Predictions {
  const { rows, classes } = rowsOf(tensor);
  const data: Prediction[][] = [];
  for (let r = 0; r < rows; r++) {
    const row: Prediction[] = [];
    for (let c = 0; c < classes; c++) {
      const label = labels?.[c];
      row.push({ index: c, score: tensor.data[r * classes + c] as number, ...(label === undefined ? {} : { label }) });
    }
    row.sort((a, b) => b.score - a.score || a.index - b.index);
    data.push(pick(row));
  }
  const kept = data.reduce((n, row) => Math.max(n, row.length), 0);
  return { type: 'predictions', data, dims: [rows, kept] };
}

/** The best class of each row. */
export const argmax = (tensor: Scores, labels?: readonly string[]) => predictions(tensor, labels, (sorted) => sorted.slice(0, 1));

/** The `k` best classes of each row, best first. */
export const topK = (tensor: Scores, k: number, labels?: readonly string[]) =>
  predictions(tensor, labels, (sorted) => sorted.slice(0, k));

/** The classes of each row scoring at least `value` (multi-label), best first. */
export const threshold = (tensor: Scores, value: number, labels?: readonly string[]) =>
  predictions(tensor, labels, (sorted) => sorted.filter((p) => p.score >= value));
