import { expect, test } from 'vitest';
import { batchKey, splitOutputs, stackFeeds, whyNotBatchable } from '../../src/session/batch-feeds.js';
import type { TensorInfo } from '../../src/types.js';

const info = (name: string, dims: TensorInfo['dims'], type: TensorInfo['type'] = 'float32'): TensorInfo => ({ name, type, dims });

test('a model batches only when every input and output starts with one named dynamic dimension', () => {
  expect(whyNotBatchable([info('x', ['batch', 4])], [info('y', ['batch', 3])])).toBeUndefined();
  expect(whyNotBatchable([info('x', [1, 4])], [info('y', [1, 3])])).toMatch(/x: \[1, 4\]/);
  expect(whyNotBatchable([info('x', ['n', 4])], [info('y', ['batch', 3])])).toMatch(/same named dynamic dimension/);
  expect(whyNotBatchable([info('x', [-1, 4])], [info('y', [-1, 3])])).toBeDefined();
  expect(whyNotBatchable([info('x', ['batch'], 'string')], [info('y', ['batch'])])).toMatch(/string/);
});

test('stacking concatenates along the first dimension, for any typed array; splitting undoes it', () => {
  const a = { ids: { type: 'int64', data: BigInt64Array.from([1n, 2n]), dims: [1, 2] } } as const;
  const b = { ids: { type: 'int64', data: BigInt64Array.from([3n, 4n, 5n, 6n]), dims: [2, 2] } } as const;
  expect(batchKey(a)).toBe(batchKey(b));
  const stacked = stackFeeds([a, b]);
  expect(stacked.ids).toEqual({ type: 'int64', data: BigInt64Array.from([1n, 2n, 3n, 4n, 5n, 6n]), dims: [3, 2] });
  const [first, second] = splitOutputs({ ids: stacked.ids as never }, [1, 2]).map((part) => part.ids);
  expect(first).toEqual(a.ids);
  expect(second).toEqual(b.ids);
  // Each part owns its buffer, so it can be transferred alone.
  const buffer = (tensor: typeof first) => (tensor?.data as BigInt64Array | undefined)?.buffer;
  expect(buffer(first)).not.toBe(buffer(second));
});

test('split as views, the parts share the batch buffer at their own offsets', () => {
  const batch = { y: { type: 'float32', data: Float32Array.from([1, 2, 3, 4, 5, 6]), dims: [3, 2] } } as const;
  const [first, second] = splitOutputs(batch, [1, 2], { views: true }).map((part) => part.y?.data as Float32Array);
  expect(first).toEqual(Float32Array.from([1, 2]));
  expect(second).toEqual(Float32Array.from([3, 4, 5, 6]));
  expect([first?.buffer, second?.buffer]).toEqual([batch.y.data.buffer, batch.y.data.buffer]);
  expect(second?.byteOffset).toBe(8);
});

test('requests with other trailing dimensions or dtypes get another batch key', () => {
  const base = { x: { type: 'float32', data: new Float32Array(4), dims: [1, 4] } } as const;
  expect(batchKey(base)).not.toBe(batchKey({ x: { type: 'float32', data: new Float32Array(3), dims: [1, 3] } }));
  expect(batchKey(base)).not.toBe(batchKey({ x: { type: 'float64', data: new Float64Array(4), dims: [1, 4] } }));
});
