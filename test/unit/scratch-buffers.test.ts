import { expect, test } from 'vitest';
import { stackFeeds } from '../../src/session/batch-feeds.js';
import { ScratchBuffers } from '../../src/session/scratch-buffers.js';

const feeds = (values: number[]) =>
  ({ x: { type: 'float32', data: Float32Array.from(values), dims: [1, values.length] } }) as const;

test('a batch stacked after another was given back reuses its buffer; one still in use is never handed out', () => {
  const scratch = new ScratchBuffers();
  const first = stackFeeds([feeds([1, 2]), feeds([3, 4])], scratch);
  const second = stackFeeds([feeds([5, 6]), feeds([7, 8])], scratch);
  const buffer = (stacked: typeof first) => (stacked.x?.data as Float32Array | undefined)?.buffer;
  expect(buffer(second)).not.toBe(buffer(first));
  expect(first.x?.data).toEqual(Float32Array.from([1, 2, 3, 4]));
  scratch.give(first);
  expect(scratch.keptBytes).toBe(16);
  const third = stackFeeds([feeds([9]), feeds([10])], scratch);
  // A smaller batch fits in the buffer given back: a view of its own length on it.
  expect(buffer(third)).toBe(buffer(first));
  expect(third.x).toEqual({ type: 'float32', data: Float32Array.from([9, 10]), dims: [2, 1] });
  expect(scratch.keptBytes).toBe(0);
});

test('the smallest free buffer that fits is taken, in the dtype asked for', () => {
  const scratch = new ScratchBuffers();
  const big = scratch.take(new Float32Array(0), 64) as Float32Array<ArrayBuffer>;
  const small = scratch.take(new Float32Array(0), 8) as Float32Array<ArrayBuffer>;
  scratch.give({ a: { type: 'float32', data: big, dims: [64] }, b: { type: 'float32', data: small, dims: [8] } });
  const ids = scratch.take(new BigInt64Array(0), 4);
  expect(ids).toBeInstanceOf(BigInt64Array);
  expect(ids.buffer).toBe(small.buffer);
  expect(scratch.take(new Float32Array(0), 9).buffer).toBe(big.buffer);
  expect(scratch.take(new Float32Array(0), 9).buffer.byteLength).toBe(36); // none free: a new one
});

test('only buffers it lent are taken back; detached ones are not kept, nor more than 64 MiB in all', () => {
  const scratch = new ScratchBuffers();
  scratch.give({ x: { type: 'float32', data: new Float32Array(4), dims: [4] } }); // the caller's own
  expect(scratch.keptBytes).toBe(0);
  const detached = scratch.take(new Float32Array(0), 4) as Float32Array<ArrayBuffer>;
  structuredClone(detached.buffer, { transfer: [detached.buffer] });
  scratch.give({ x: { type: 'float32', data: detached, dims: [0] } });
  expect(scratch.keptBytes).toBe(0);
  const large = () =>
    ({ x: { type: 'uint8', data: scratch.take(new Uint8Array(0), 40 * 2 ** 20) as Uint8Array, dims: [40 * 2 ** 20] } }) as const;
  const [a, b] = [large(), large()];
  scratch.give(a);
  scratch.give(b);
  expect(scratch.keptBytes).toBe(40 * 2 ** 20);
  scratch.give(a); // given back twice: kept once
  expect(scratch.keptBytes).toBe(40 * 2 ** 20);
});
