import { wrap } from 'comlink';
import { afterAll, expect, test } from 'vitest';
import type { WireApi } from '../../src/lib/wire.js';
import { spawnWorker } from '../../src/runtime/spawn-worker.js';
import type { WorkerApi } from '../../src/worker/api.js';
import { models } from '../support/browser/models.js';

/**
 * The worker is the last line before wasm: feeds that reach it without the page's check (a
 * second page-side copy of the library, a bug) are refused there too, as data the page can
 * turn back into an InputError, and the worker keeps working.
 */
const worker = spawnWorker();
const api = wrap<WireApi<WorkerApi>>(worker);
afterAll(() => worker.terminate());

test('the worker refuses bad feeds itself and stays healthy', async () => {
  const loaded = await api.load({
    source: { kind: 'file', url: new URL(models.add, location.href).href },
    backends: ['wasm'],
    manifestKeys: [],
    cache: false,
    callId: 1,
  });
  if (!loaded.ok) throw new Error(loaded.error.message);
  const { handle } = loaded.value;
  const a = { type: 'float32', data: new Float32Array(6), dims: [2, 3] } as const;

  const bad = await api.run(handle, { a, b: { type: 'float32', data: new Float32Array(5), dims: [5] } });
  expect(bad).toMatchObject({ ok: false, error: { name: 'InputError', code: 'input-shape', details: { input: 'b' } } });

  const good = await api.run(handle, { a, b: { type: 'float32', data: new Float32Array([1, 2, 3, 4, 5, 6]), dims: [2, 3] } });
  expect(good.ok && Array.from(good.value.outputs.sum?.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
});
