import { expect, test } from 'vitest';
import { createRuntime } from '../../src/index.js';
import { hookableWorkers } from '../support/browser/hookable.js';
import { models } from '../support/browser/models.js';

/**
 * RELIABILITY.md 25: the worker is the unit of cleanup, since wasm memory never shrinks. A worker
 * whose last model is disposed is ended, so create/dispose cycles leave no worker and no memory
 * behind; a model may have a worker of its own.
 */
const input = () => ({ x: { type: 'float32', data: new Float32Array(256).fill(0.25), dims: [1, 256] } }) as const;

/**
 * Bytes the page and its workers hold, per Chromium: needs cross-origin isolation, and answers at
 * once with the browser project's ForceEagerMeasureMemory flag (vitest.config.ts).
 */
async function memoryBytes(): Promise<number> {
  const measure = (performance as { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> })
    .measureUserAgentSpecificMemory;
  if (!measure) throw new Error('performance.measureUserAgentSpecificMemory is missing (not cross-origin isolated?)');
  return (await measure.call(performance)).bytes;
}

test('20 create/dispose cycles: each disposed model ends its worker, and memory stays flat', async () => {
  const hooks = hookableWorkers();
  const rt = createRuntime({ backends: ['wasm'], createWorker: hooks.createWorker });
  const measured: number[] = [];
  for (let cycle = 1; cycle <= 20; cycle++) {
    const model = await rt.load(models.heavy);
    expect((await model.run(input())).y?.dims).toEqual([1, 256]);
    expect(hooks.live()).toBe(1);
    // Measured with one model loaded: a worker just ended can hold the measurement up for a minute.
    if (cycle === 1 || cycle === 20) measured.push(await memoryBytes());
    await model.dispose();
    expect(hooks.live()).toBe(0);
  }
  expect(hooks.workers).toHaveLength(20);
  const [first = 0, last = 0] = measured;
  // One loaded heavy model costs ~60 MB in its worker: twenty kept would be far past this bound.
  expect(last - first).toBeLessThan(40 * 2 ** 20);
  await rt.close();
}, 300_000);

test('with recycleWhenIdle off, a worker is kept across loads and ended after recycleAfterSessions', async () => {
  const hooks = hookableWorkers();
  const rt = createRuntime({
    backends: ['wasm'],
    createWorker: hooks.createWorker,
    supervisor: { recycleWhenIdle: false, recycleAfterSessions: 3 },
  });
  for (let cycle = 0; cycle < 5; cycle++) {
    const model = await rt.load(models.mlp);
    await model.dispose();
  }
  // Sessions 1–3 in the first worker, ended after the third; 4–5 in the second, kept.
  expect(hooks.workers).toHaveLength(2);
  expect(hooks.live()).toBe(1);
  await rt.close();
  expect(hooks.live()).toBe(0);
});

test('a model with its own worker runs beside the shared one, and its worker ends with it', async () => {
  const hooks = hookableWorkers();
  const rt = createRuntime({ backends: ['wasm'], createWorker: hooks.createWorker });
  const shared = await rt.load(models.heavy);
  const own = await rt.load(models.heavy, { ownWorker: true });
  expect(hooks.live()).toBe(2);
  const [a, b] = await Promise.all([shared.run(input()), own.run(input())]);
  expect(a.y?.data).toEqual(b.y?.data);
  await own.dispose();
  expect(hooks.live()).toBe(1);
  expect((await shared.run(input())).y?.data).toEqual(a.y?.data);
  // A failed load in a worker of its own ends that worker too.
  await expect(rt.load('/no-such-model.onnx', { ownWorker: true })).rejects.toMatchObject({ name: 'FetchError' });
  expect(hooks.live()).toBe(1);
  await rt.close();
  expect(hooks.live()).toBe(0);
});
