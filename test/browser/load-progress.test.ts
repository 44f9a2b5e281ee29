import { expect, test } from 'vitest';
import { createRuntime, type LoadProgress } from '../../src/index.js';
import { models } from '../support/browser/models.js';

test('load reports downloading, then creating-session, then ready, with bytes that only grow', async () => {
  const rt = createRuntime({ backends: ['wasm'] });
  const events: LoadProgress[] = [];
  const model = await rt.load(models.vad, { onProgress: (p) => events.push(p) });
  const stages = events.map((e) => e.stage);
  expect(stages[0]).toBe('downloading');
  expect(stages.slice(-2)).toEqual(['creating-session', 'ready']);
  expect(stages.filter((s) => s !== 'downloading')).toEqual(['creating-session', 'ready']);
  const loaded = events.map((e) => e.loaded);
  expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
  expect(events.at(-1)?.loaded).toBe(model.info.bytes);
  for (const e of events) expect(e.total === null || e.total === model.info.bytes).toBe(true);
  await rt.close();
});

test('a progress callback that throws does not fail the load; the error surfaces as uncaught', async () => {
  const uncaught: unknown[] = [];
  const capture = (event: ErrorEvent) => {
    uncaught.push(event.error);
    // Keep the test runner from counting this expected error as a failure of the run.
    event.stopImmediatePropagation();
    event.preventDefault();
  };
  window.addEventListener('error', capture, { capture: true });
  const rt = createRuntime({ backends: ['wasm'] });
  try {
    const model = await rt.load(models.add, {
      onProgress: () => {
        throw new Error('callback bug');
      },
    });
    expect(model.info.backend).toBe('wasm');
    expect(uncaught.length).toBeGreaterThan(0);
    expect(uncaught[0]).toMatchObject({ message: 'callback bug' });
  } finally {
    window.removeEventListener('error', capture, { capture: true });
    await rt.close();
  }
});
