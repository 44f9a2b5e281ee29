import { afterAll, expect, test } from 'vitest';
import { createRuntime, ModelError, type RunResult } from '../../src/index.js';
import { hookableWorkers } from '../support/browser/hookable.js';
import { models } from '../support/browser/models.js';

/**
 * Dynamic micro-batching: concurrent runs of a model whose rows are independent are stacked into
 * one `session.run` and split back, with exactly the outputs of runs made one by one; a model
 * whose shapes or behaviour do not allow it is refused at load.
 */
const rt = createRuntime({ backends: ['wasm'] });
afterAll(() => rt.close());

const row = (i: number, rows = 1) =>
  ({
    x: { type: 'float32', data: Float32Array.from({ length: 4 * rows }, (_, j) => Math.sin(i * 10 + j)), dims: [rows, 4] },
  }) as const;

test('32 concurrent runs give exactly the outputs of 32 runs one by one, in one session run', async () => {
  const batched = await rt.load(models.mlp, { batching: true });
  expect(batched.info.batching).toEqual({ maxBatch: 32, maxDelayMs: 2, verified: true });
  const alone = await rt.load(models.mlp);
  const sequential: Float32Array[] = [];
  for (let i = 0; i < 32; i++) sequential.push((await alone.run(row(i))).logits?.data as Float32Array);
  const concurrent = await Promise.all(Array.from({ length: 32 }, (_, i) => batched.runDetailed(row(i))));
  concurrent.forEach((result, i) => {
    expect(result.outputs.logits?.dims).toEqual([1, 3]);
    expect(result.outputs.logits?.data).toEqual(sequential[i]);
  });
  // Made in one task, the 32 runs reach the worker as one message (the page's run coalescer),
  // so its batcher sees them together: one session run, whatever the machine's load.
  expect(concurrent.map((result) => result.timings.batchSize)).toEqual(Array(32).fill(32));
});

test('runs made together beyond maxBatch rows are stacked in groups of at most maxBatch, outputs unchanged', async () => {
  const batched = await rt.load(models.mlp, { batching: { maxBatch: 8 } });
  const alone = await rt.load(models.mlp);
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => batched.runDetailed(row(i))));
  for (const [i, result] of results.entries()) {
    expect(result.outputs.logits?.data).toEqual((await alone.run(row(i))).logits?.data);
  }
  expect(results.map((result) => result.timings.batchSize)).toEqual([...Array(16).fill(8), ...Array(4).fill(4)]);
});

test('rounds of coalesced runs, their batches queued behind each other, keep the outputs of runs one by one', async () => {
  const batched = await rt.load(models.mlp, { batching: { maxBatch: 16 } });
  const alone = await rt.load(models.mlp);
  const expected: unknown[] = [];
  for (let i = 0; i < 40; i++) expected.push((await alone.run(row(i))).logits);
  // Each round is three stacked requests (16, 16 and 8 rows) that wait in the worker's queue
  // while the one before runs: the memory they are stacked into must not be shared.
  for (let round = 0; round < 3; round++) {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => batched.runDetailed(row(i))));
    expect(results.map((result) => result.outputs.logits)).toEqual(expected);
    expect(results.map((result) => result.timings.batchSize)).toEqual([...Array(32).fill(16), ...Array(8).fill(8)]);
    // Split on the page without a copy: each output is a view on its batch's reply.
    const data = results[1]?.outputs.logits?.data as Float32Array;
    expect([data.byteOffset, data.length, data.buffer.byteLength]).toEqual([3 * 4, 3, 16 * 3 * 4]);
  }
});

test('coalesced runs are one worker call: on a hung worker they all fail at the shortest timeout', async () => {
  const hooks = hookableWorkers();
  const own = createRuntime({ backends: ['wasm'], createWorker: hooks.createWorker });
  try {
    const model = await own.load(models.mlp, { batching: true });
    const expected = (await model.run(row(0))).logits;
    hooks.workers[0]?.postMessage('hang');
    const started = performance.now();
    const outcomes = await Promise.allSettled([
      model.run(row(0), { timeoutMs: 30_000 }),
      model.run(row(1), { timeoutMs: 800 }),
      model.run(row(2)),
    ]);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'call-timeout', details: { timeoutMs: 800 } } });
    }
    expect(performance.now() - started).toBeLessThan(5_000);
    // The hung worker was replaced and the model loaded again.
    expect((await model.run(row(0))).logits).toEqual(expected);
  } finally {
    await own.close();
  }
});

test('coalesced runs keep their own outcomes: one past its deadline fails alone, the others run together', async () => {
  const batched = await rt.load(models.mlp, { batching: { maxBatch: 32, maxDelayMs: 20 } });
  const alone = await rt.load(models.mlp);
  // All eight travel in one message; the one with a 1 ms deadline is still gathering after it.
  const runs = Array.from({ length: 8 }, (_, i) => batched.runDetailed(row(i), i === 3 ? { deadlineMs: 1 } : {}));
  const settled = await Promise.allSettled(runs);
  expect(settled[3]).toMatchObject({ status: 'rejected', reason: { name: 'AbortError', code: 'deadline-exceeded' } });
  for (const [i, outcome] of settled.entries()) {
    if (i === 3) continue;
    if (outcome.status === 'rejected') throw outcome.reason;
    expect(outcome.value.outputs.logits?.data).toEqual((await alone.run(row(i))).logits?.data);
    expect(outcome.value.timings.batchSize).toBe(7);
  }
});

test('requests of several rows are stacked and split back by their own row counts', async () => {
  const batched = await rt.load(models.mlp, { batching: { maxBatch: 8, maxDelayMs: 20 } });
  const alone = await rt.load(models.mlp);
  const sizes = [1, 3, 2, 4];
  const results = await Promise.all(sizes.map((rows, i) => batched.runDetailed(row(i, rows))));
  for (const [i, rows] of sizes.entries()) {
    const expected = (await alone.run(row(i, rows))).logits;
    expect((results[i] as RunResult).outputs.logits).toEqual(expected);
  }
  // 10 rows, at most 8 per run: never all four together.
  expect(results.every((result) => result.timings.batchSize < 4)).toBe(true);
});

test('a model whose first dimension is fixed is refused with not-batchable', async () => {
  const error = await rt.load(models.heavy, { batching: true }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ModelError);
  expect(error).toMatchObject({ code: 'not-batchable' });
  expect((error as Error).message).toMatch(/\[1, 256\]/);
});

test('a model whose rows depend on each other is caught by the probe and refused', async () => {
  await expect(rt.load(models.rowMixing, { batching: true })).rejects.toMatchObject({
    name: 'ModelError',
    code: 'not-batchable',
    details: { output: 'y' },
  });
  // Without batching it loads and runs: softmax over a batch of one row is all ones.
  const model = await rt.load(models.rowMixing);
  const { y } = await model.run({ x: { type: 'float32', data: new Float32Array(3), dims: [1, 3] } });
  expect(y?.data).toEqual(new Float32Array([1, 1, 1]));
});

test('bad batching options are refused with invalid-options', async () => {
  await expect(rt.load(models.mlp, { batching: { maxBatch: 0 } })).rejects.toMatchObject({
    code: 'invalid-options',
    details: { option: 'batching.maxBatch' },
  });
  await expect(rt.load(models.mlp, { batching: { wait: 1 } as never })).rejects.toMatchObject({
    code: 'invalid-options',
    details: { option: 'batching.wait' },
  });
});
