import { expect, test } from 'vitest';
import { createRuntime, type RuntimeOptions, type WorkerRestartEvent } from '../../src/index.js';
import { hookableWorkers } from '../support/browser/hookable.js';
import { models } from '../support/browser/models.js';

/**
 * RELIABILITY.md 22 and 23: the worker terminated, closing itself, or hanging, mid-call or idle.
 * Every pending call rejects with a typed error (none is left pending), the runtime starts a new
 * worker, loads its models again from the cache, reports a `worker-restart` event, and the next
 * `run` gives the same output as before.
 */
const input = () =>
  ({ x: { type: 'float32', data: Float32Array.from({ length: 256 }, (_, i) => Math.sin(i)), dims: [1, 256] } }) as const;

/** Every promise settles within `ms`: none is left pending. */
async function settleAll<T>(promises: Promise<T>[], ms = 10_000): Promise<PromiseSettledResult<T>[]> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`a promise was still pending after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([Promise.allSettled(promises), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function setUp(options: RuntimeOptions = {}) {
  const hooks = hookableWorkers();
  const rt = createRuntime({ backends: ['wasm'], createWorker: hooks.createWorker, ...options });
  const restarts: WorkerRestartEvent[] = [];
  rt.on('worker-restart', (event) => restarts.push(event));
  const model = await rt.load(models.heavy);
  const expected = (await model.run(input())).y?.data;
  const nextRestart = () =>
    new Promise<WorkerRestartEvent>((resolve) => {
      const stop = rt.on('worker-restart', (event) => {
        stop();
        resolve(event);
      });
    });
  return { rt, model, expected, restarts, workers: hooks.workers, nextRestart };
}

test('a worker terminated mid-call: pending calls reject with worker-crashed, the model is reloaded and runs again', async () => {
  const { rt, model, expected, restarts, workers, nextRestart } = await setUp();
  const restarted = nextRestart();
  const pending = Array.from({ length: 4 }, () => model.run(input()));
  workers[0]?.terminate();
  const outcomes = await settleAll(pending);
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ name: 'WorkerError', code: 'worker-crashed' });
  }
  expect(outcomes.some((o) => o.status === 'rejected')).toBe(true);
  const event = await restarted;
  expect(event).toMatchObject({ reason: 'worker-crashed', restarted: true, restarts: 1, models: [{ id: 'heavy', ok: true }] });
  expect(workers).toHaveLength(2);
  expect((await model.run(input())).y?.data).toEqual(expected);
  expect(restarts).toHaveLength(1);
  await rt.close();
});

test('a worker that closes itself is restarted; calls made meanwhile wait for the new worker', async () => {
  const { rt, model, expected, workers, nextRestart } = await setUp();
  const restarted = nextRestart();
  workers[0]?.postMessage('close');
  const event = await restarted;
  expect(event).toMatchObject({ reason: 'worker-crashed', models: [{ id: 'heavy', ok: true }] });
  // Made while the new worker loads the model again: it waits, then runs.
  const [later] = await settleAll([model.run(input())]);
  expect(later).toMatchObject({ status: 'fulfilled' });
  expect((later as PromiseFulfilledResult<Record<string, { data: unknown }>>).value.y?.data).toEqual(expected);
  await rt.close();
});

test('a call past its timeout rejects with call-timeout; the hung worker is replaced and later runs work', async () => {
  const { rt, model, expected, workers, nextRestart } = await setUp({ runTimeoutMs: 1_000 });
  const restarted = nextRestart();
  workers[0]?.postMessage('hang');
  const started = performance.now();
  const [hung, other] = await settleAll([model.run(input()), model.run(input(), { timeoutMs: 30_000 })]);
  expect(hung).toMatchObject({
    status: 'rejected',
    reason: { name: 'WorkerError', code: 'call-timeout', details: { timeoutMs: 1_000 } },
  });
  // The other call was waiting on the same hung worker: it is rejected with it, not left pending.
  expect(other).toMatchObject({ status: 'rejected', reason: { name: 'WorkerError', code: 'worker-unresponsive' } });
  expect(performance.now() - started).toBeLessThan(5_000);
  expect(await restarted).toMatchObject({ reason: 'worker-unresponsive', restarted: true });
  expect((await model.run(input())).y?.data).toEqual(expected);
  await rt.close();
});

test('an idle worker that hangs misses its heartbeat and is replaced before anyone calls it', async () => {
  const { rt, model, expected, workers, nextRestart } = await setUp({ supervisor: { heartbeatMs: 300 } });
  const restarted = nextRestart();
  workers[0]?.postMessage('hang');
  const event = await restarted;
  expect(event).toMatchObject({ reason: 'worker-unresponsive', restarted: true, models: [{ id: 'heavy', ok: true }] });
  expect(event.message).toMatch(/ping/);
  expect((await model.run(input())).y?.data).toEqual(expected);
  await rt.close();
});

test('past the restart budget the runtime gives up: calls fail with worker-failed instead of looping', async () => {
  const { rt, model, workers, nextRestart } = await setUp({ supervisor: { maxRestarts: 1 } });
  let restarted = nextRestart();
  workers[0]?.terminate();
  expect(await restarted).toMatchObject({ restarted: true, restarts: 1 });
  restarted = nextRestart();
  workers[1]?.terminate();
  expect(await restarted).toMatchObject({ restarted: false });
  await expect(model.run(input())).rejects.toMatchObject({ name: 'WorkerError', code: 'worker-failed' });
  await expect(rt.load(models.add)).rejects.toMatchObject({ name: 'WorkerError', code: 'worker-failed' });
  expect(workers).toHaveLength(2);
  await rt.close();
});

test('a load in flight when the worker dies rejects with worker-crashed; loading again works', async () => {
  const { rt, workers, nextRestart } = await setUp();
  const restarted = nextRestart();
  const loading = rt.load(models.vad);
  workers[0]?.terminate();
  const [outcome] = await settleAll([loading]);
  expect(outcome).toMatchObject({ status: 'rejected', reason: { name: 'WorkerError', code: 'worker-crashed' } });
  await restarted;
  expect((await rt.load(models.add)).info.id).toBe('add');
  await rt.close();
});
