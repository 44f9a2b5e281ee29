import { expect, test } from 'vitest';
import { AbortError } from '../../src/errors.js';
import { Batcher } from '../../src/session/batcher.js';
import { RequestQueue } from '../../src/session/request-queue.js';
import type { Feeds, Tensors } from '../../src/types.js';

const feeds = (...values: number[]): Feeds => ({
  x: { type: 'float32', data: Float32Array.from(values), dims: [values.length, 1] },
});

/** A session that doubles x, recording the rows of each run. */
function doubler() {
  const runs: number[][] = [];
  const run = async (input: Feeds) => {
    const x = input.x?.data as Float32Array;
    runs.push(Array.from(x));
    const outputs: Tensors = { y: { type: 'float32', data: x.map((v) => v * 2), dims: [x.length, 1] } };
    return { outputs, prepareMs: 0, inferenceMs: 0 };
  };
  return { run, runs };
}

test('requests within the delay are stacked into one run and split back in order', async () => {
  const session = doubler();
  const batcher = new Batcher(new RequestQueue(), session.run, { maxBatch: 8, maxDelayMs: 20 });
  const results = await Promise.all([batcher.submit(feeds(1)), batcher.submit(feeds(2, 3)), batcher.submit(feeds(4))]);
  expect(session.runs).toEqual([[1, 2, 3, 4]]);
  expect(results.map((r) => Array.from(r.outputs.y?.data as Float32Array))).toEqual([[2], [4, 6], [8]]);
  expect(results.map((r) => r.outputs.y?.dims)).toEqual([
    [1, 1],
    [2, 1],
    [1, 1],
  ]);
  expect(results.every((r) => r.batchSize === 3)).toBe(true);
});

test('no run holds more than maxBatch rows; the rest run next', async () => {
  const session = doubler();
  const batcher = new Batcher(new RequestQueue(), session.run, { maxBatch: 3, maxDelayMs: 20 });
  await Promise.all([1, 2, 3, 4, 5].map((v) => batcher.submit(feeds(v))));
  expect(session.runs).toEqual([
    [1, 2, 3],
    [4, 5],
  ]);
});

test('a full batch runs without waiting for the delay', async () => {
  const session = doubler();
  const batcher = new Batcher(new RequestQueue(), session.run, { maxBatch: 2, maxDelayMs: 60_000 });
  const started = performance.now();
  await Promise.all([batcher.submit(feeds(1)), batcher.submit(feeds(2))]);
  expect(performance.now() - started).toBeLessThan(1_000);
});

test('requests of another shape are not stacked with the first', async () => {
  const session = doubler();
  const batcher = new Batcher(new RequestQueue(), session.run, { maxBatch: 8, maxDelayMs: 10 });
  const wide: Feeds = { x: { type: 'float32', data: Float32Array.from([7, 8]), dims: [1, 2] } };
  await Promise.all([batcher.submit(feeds(1)), batcher.submit(wide), batcher.submit(feeds(2))]);
  expect(session.runs).toEqual([
    [1, 2],
    [7, 8],
  ]);
});

test('a cancelled or late request leaves the batch before it runs', async () => {
  const session = doubler();
  const batcher = new Batcher(new RequestQueue(), session.run, { maxBatch: 8, maxDelayMs: 50 });
  const kept = batcher.submit(feeds(1), { id: 1 });
  const cancelled = batcher.submit(feeds(2), { id: 2 });
  const late = batcher.submit(feeds(3), { id: 3, deadlineMs: 5 });
  expect(batcher.cancel(2, new AbortError('cancelled'))).toBe(true);
  await expect(cancelled).rejects.toMatchObject({ code: 'aborted' });
  await expect(late).rejects.toMatchObject({ code: 'deadline-exceeded' });
  expect(Array.from((await kept).outputs.y?.data as Float32Array)).toEqual([2]);
  expect(session.runs).toEqual([[1]]);
});

test('a failing run rejects every request of its batch, and the next batch runs', async () => {
  let fail = true;
  const batcher = new Batcher(
    new RequestQueue(),
    async (input) => {
      if (fail) {
        fail = false;
        throw new Error('kernel failed');
      }
      return { outputs: { y: input.x as Tensors[string] }, prepareMs: 0, inferenceMs: 0 };
    },
    { maxBatch: 8, maxDelayMs: 10 },
  );
  const first = [batcher.submit(feeds(1)), batcher.submit(feeds(2))];
  for (const result of await Promise.allSettled(first)) expect(result).toMatchObject({ status: 'rejected' });
  expect((await batcher.submit(feeds(3))).batchSize).toBe(1);
});
