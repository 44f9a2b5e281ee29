import { afterAll, expect, test } from 'vitest';
import { createRuntime, type RunResult } from '../../src/index.js';
import { hookableWorkers } from '../support/browser/hookable.js';
import { models } from '../support/browser/models.js';

/**
 * Each model's runs queue in the worker: by priority, each with the time it waited; a run
 * cancelled or past its deadline while queued never runs. The worker is held for 300 ms (a test
 * hook, as a long run would) so that every call below is queued when it arrives.
 */
const hooks = hookableWorkers();
const rt = createRuntime({ backends: ['wasm'], createWorker: hooks.createWorker });
afterAll(() => rt.close());
const input = () => ({ x: { type: 'float32', data: new Float32Array(256).fill(0.5), dims: [1, 256] } }) as const;
const holdWorker = () => hooks.workers.at(-1)?.postMessage('block');

test('queued runs go by priority, then arrival, and report how long they waited', async () => {
  const model = await rt.load(models.heavy);
  await model.run(input());
  holdWorker();
  const order: string[] = [];
  const timed = new Map<string, RunResult>();
  const send = (name: string, priority: 'high' | 'normal' | 'low') =>
    model.runDetailed(input(), { priority }).then((result) => {
      order.push(name);
      timed.set(name, result);
    });
  await Promise.all([send('normal', 'normal'), send('low-1', 'low'), send('low-2', 'low'), send('high', 'high')]);
  // The first to arrive starts at once; the others were waiting when it ended.
  expect(order).toEqual(['normal', 'high', 'low-1', 'low-2']);
  const queued = (name: string) => timed.get(name)?.timings.queueMs ?? Number.NaN;
  // The first waited for nothing: its queue time is not its inference time.
  expect(queued('normal')).toBeLessThan(timed.get('normal')?.timings.inferenceMs ?? Number.NaN);
  expect(queued('high')).toBeLessThan(queued('low-1'));
  expect(queued('low-1')).toBeLessThan(queued('low-2'));
});

test('a run cancelled while queued, or past its deadline, rejects without running; the queue goes on', async () => {
  const model = await rt.load(models.heavy);
  const expected = (await model.run(input())).y?.data;
  holdWorker();
  const controller = new AbortController();
  const first = model.run(input());
  const cancelled = model.run(input(), { signal: controller.signal });
  // Arrives after the 300 ms hold, 50 ms past its deadline.
  const late = model.run(input(), { deadlineMs: 50 });
  const last = model.run(input());
  controller.abort();
  await expect(cancelled).rejects.toMatchObject({ name: 'AbortError', code: 'aborted' });
  await expect(late).rejects.toMatchObject({ name: 'AbortError', code: 'deadline-exceeded' });
  expect((await first).y?.data).toEqual(expected);
  expect((await last).y?.data).toEqual(expected);
});

test('bad priorities and deadlines are refused on the page with invalid-options', async () => {
  const model = await rt.load(models.heavy);
  await expect(model.run(input(), { priority: 'urgent' as 'high' })).rejects.toMatchObject({
    code: 'invalid-options',
    details: { option: 'priority' },
  });
  await expect(model.run(input(), { deadlineMs: -1 })).rejects.toMatchObject({
    code: 'invalid-options',
    details: { option: 'deadlineMs' },
  });
});
