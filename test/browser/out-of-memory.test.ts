import { expect, inject, test } from 'vitest';
import { createRuntime, ModelError, type WorkerRestartEvent } from '../../src/index.js';
import { hookableWorkers } from '../support/browser/hookable.js';
import { models } from '../support/browser/models.js';

/**
 * RELIABILITY.md 24: wasm memory running out. A run that asks for ~4.3 GB (past the 4 GiB a wasm
 * worker can hold), or a session too large for the worker's memory (capped for the test), fails
 * with a `ModelError` coded `out-of-memory`; the worker, whose memory never shrinks, is replaced
 * by a fresh one with the models loaded again, and later runs and loads work.
 */
const count = (n: bigint) => ({ n: { type: 'int64', data: BigInt64Array.from([n]), dims: [1] } }) as const;

test('out of memory in a run: a typed error, a fresh worker with the models reloaded, later calls work', async () => {
  const hooks = hookableWorkers();
  const rt = createRuntime({ backends: ['wasm'], createWorker: hooks.createWorker });
  const alloc = await rt.load(models.alloc);
  const other = await rt.load(models.mlp);
  expect((await alloc.run(count(1000n))).sum?.data).toEqual(new Float32Array([1000]));
  const renewed = new Promise<WorkerRestartEvent>((resolve) => rt.on('worker-restart', resolve));
  const error = await alloc.run(count(1_072_000_000n)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ModelError);
  expect(error).toMatchObject({ code: 'out-of-memory', details: { model: 'alloc', backend: 'wasm' } });
  expect((error as Error).message).toMatch(/bad_alloc/);
  expect(await renewed).toMatchObject({
    reason: 'out-of-memory',
    restarted: true,
    models: [
      { id: 'alloc', ok: true },
      { id: 'mlp', ok: true },
    ],
  });
  expect(hooks.workers).toHaveLength(2);
  expect(hooks.live()).toBe(1);
  expect((await alloc.run(count(1000n))).sum?.data).toEqual(new Float32Array([1000]));
  const x = { x: { type: 'float32', data: new Float32Array(4), dims: [1, 4] } } as const;
  expect((await other.run(x)).logits?.dims).toEqual([1, 3]);
  expect((await rt.load(models.add)).info.id).toBe('add');
  await rt.close();
}, 120_000);

test('out of memory creating a session: a typed error, a fresh worker, and later models still load', async () => {
  // Workers whose wasm memory may grow 8 MiB past onnxruntime-web's initial 16 MiB: the 200 MB
  // synthetic model is as far past that as a model past 4 GiB is past a real worker's.
  const hooks = hookableWorkers({ cappedMemory: true });
  const rt = createRuntime({ backends: ['wasm'], createWorker: hooks.createWorker, cache: false });
  const small = await rt.load(models.mlp);
  const renewed = new Promise<WorkerRestartEvent>((resolve) => rt.on('worker-restart', resolve));
  const error = await rt.load(`${inject('faultServer')}/s/oom-${Date.now()}/ok/0/large.manifest.json`).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ModelError);
  expect(error).toMatchObject({ code: 'out-of-memory', details: { backend: 'wasm' } });
  expect((error as Error).message).toMatch(/out of memory creating a session/);
  expect(await renewed).toMatchObject({ reason: 'out-of-memory', restarted: true, models: [{ id: 'mlp', ok: true }] });
  expect(hooks.live()).toBe(1);
  const x = { x: { type: 'float32', data: new Float32Array(4), dims: [1, 4] } } as const;
  expect((await small.run(x)).logits?.dims).toEqual([1, 3]);
  expect((await rt.load(models.add)).info.id).toBe('add');
  await rt.close();
}, 120_000);
