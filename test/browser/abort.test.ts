import { afterAll, expect, test } from 'vitest';
import { AbortError, createRuntime, type LoadProgress } from '../../src/index.js';
import { models } from '../support/browser/models.js';

const rt = createRuntime({ backends: ['wasm'] });
afterAll(() => rt.close());

test('a signal aborted before load rejects at once with AbortError', async () => {
  const error = await rt.load(models.add, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AbortError);
  expect(error).toMatchObject({ code: 'aborted' });
});

test('aborting mid-load rejects with AbortError and no progress is reported after it', async () => {
  const controller = new AbortController();
  const events: LoadProgress[] = [];
  let eventsAtAbort = -1;
  const loading = rt.load(models.vad, {
    signal: controller.signal,
    onProgress: (p) => {
      events.push(p);
      if (eventsAtAbort < 0) {
        controller.abort();
        eventsAtAbort = events.length;
      }
    },
  });
  await expect(loading).rejects.toMatchObject({ name: 'AbortError', code: 'aborted' });
  await new Promise((r) => setTimeout(r, 500));
  expect(events.length).toBe(eventsAtAbort);
  // The worker is fine afterwards.
  const model = await rt.load(models.add);
  expect(model.info.backend).toBe('wasm');
});

test('aborting a run rejects it with AbortError; the model keeps working', async () => {
  const model = await rt.load(models.heavy);
  const controller = new AbortController();
  const running = model.run(
    { x: { type: 'float32', data: new Float32Array(256), dims: [1, 256] } },
    { signal: controller.signal },
  );
  controller.abort(new Error('user navigated away'));
  const error = await running.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AbortError);
  expect((error as Error).message).toContain('user navigated away');
  const out = await model.run({ x: { type: 'float32', data: new Float32Array(256), dims: [1, 256] } });
  expect(out.y?.dims).toEqual([1, 256]);
});
