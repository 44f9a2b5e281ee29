import { describe, expect, test } from 'vitest';
import { argmax, sigmoid, softmax, threshold, topK } from '../../src/transforms/classify.js';

const scores = (data: number[], dims: number[]) => ({ type: 'float32' as const, data: new Float32Array(data), dims });
const close = (actual: ArrayLike<number>, expected: number[]) => {
  for (const [i, v] of expected.entries()) expect(actual[i]).toBeCloseTo(v, 6);
};

describe('softmax', () => {
  test('over the last axis of each row', () => {
    // Row [0, ln 2, ln 5]: e^x = 1, 2, 5 → /8. Row [1, 1, 1]: thirds.
    const out = softmax(scores([0, Math.log(2), Math.log(5), 1, 1, 1], [2, 3]));
    close(out.data, [1 / 8, 2 / 8, 5 / 8, 1 / 3, 1 / 3, 1 / 3]);
    expect(out.dims).toEqual([2, 3]);
  });

  test('over axis 0: each column sums to one', () => {
    const out = softmax(scores([0, 1, Math.log(3), 1], [2, 2]), 0);
    // Column 0: e^0, e^ln3 = 1, 3 → 1/4, 3/4. Column 1: equal → 1/2 each.
    close(out.data, [1 / 4, 1 / 2, 3 / 4, 1 / 2]);
  });

  test('large logits do not overflow', () => {
    close(softmax(scores([1000, 1000], [1, 2])).data, [0.5, 0.5]);
  });
});

test('sigmoid', () => {
  close(sigmoid(scores([0, Math.log(3), -Math.log(3)], [3])).data, [0.5, 0.75, 0.25]);
});

describe('predictions', () => {
  const probs = scores([0.1, 0.6, 0.3, 0.4, 0.4, 0.2], [2, 3]);
  const labels = ['cat', 'dog', 'fox'];

  test('argmax: the best class per row; ties go to the lower index', () => {
    expect(argmax(probs, labels)).toEqual({
      type: 'predictions',
      dims: [2, 1],
      data: [
        [{ index: 1, score: expect.closeTo(0.6, 6), label: 'dog' }],
        [{ index: 0, score: expect.closeTo(0.4, 6), label: 'cat' }],
      ],
    });
  });

  test('top-k: the k best per row, best first, without labels when none are given', () => {
    const out = topK(probs, 2);
    expect(out.dims).toEqual([2, 2]);
    expect(out.data.map((row) => row.map((p) => p.index))).toEqual([
      [1, 2],
      [0, 1],
    ]);
    expect(out.data[0]?.[0]).not.toHaveProperty('label');
  });

  test('threshold: every class at or above the value, per row (multi-label)', () => {
    const out = threshold(probs, 0.3, labels);
    expect(out.data.map((row) => row.map((p) => p.label))).toEqual([
      ['dog', 'fox'],
      ['cat', 'dog'],
    ]);
    expect(out.dims).toEqual([2, 2]);
    expect(threshold(probs, 0.9).data).toEqual([[], []]);
  });
});
