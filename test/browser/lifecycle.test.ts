import { expect, test } from 'vitest';
import { createRuntime, StateError } from '../../src/index.js';
import { models } from '../support/browser/models.js';

const x = () => ({ x: { type: 'float32', data: new Float32Array(256), dims: [1, 256] } }) as const;

test('a disposed model refuses to run; dispose twice is fine; other models are unaffected', async () => {
  const rt = createRuntime({ backends: ['wasm'] });
  const [a, b] = [await rt.load(models.heavy), await rt.load(models.heavy)];
  await a.dispose();
  await a.dispose();
  const error = await a.run(x()).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StateError);
  expect(error).toMatchObject({ code: 'model-disposed' });
  expect((await b.run(x())).y?.dims).toEqual([1, 256]);
  await rt.close();
});

test('close rejects pending calls with runtime-closed, and later calls too', async () => {
  const rt = createRuntime({ backends: ['wasm'] });
  const model = await rt.load(models.heavy);
  const pending = Array.from({ length: 5 }, () => model.run(x()).catch((e: unknown) => e));
  await rt.close();
  for (const error of await Promise.all(pending)) {
    // A call that finished before close resolved; every other one rejected, none hangs.
    if (error !== undefined) expect(error).toMatchObject({ name: 'StateError', code: 'runtime-closed' });
  }
  await expect(model.run(x())).rejects.toMatchObject({ name: 'StateError', code: 'runtime-closed' });
  await expect(rt.load(models.add)).rejects.toMatchObject({ name: 'StateError', code: 'runtime-closed' });
});

test('model.info describes the model and where it runs', async () => {
  const rt = createRuntime({ backends: ['wasm'] });
  const model = await rt.load(models.mlp);
  expect(model.info).toMatchObject({
    id: 'mlp',
    version: expect.stringMatching(/^[0-9a-f]{12}$/),
    url: new URL(models.mlp, location.href).href,
    backend: 'wasm',
    crossOriginIsolated: true,
    inputs: [{ name: 'x', type: 'float32', dims: ['batch', 4] }],
    outputs: [{ name: 'logits', type: 'float32', dims: ['batch', 3] }],
  });
  expect(model.info.threads).toBeGreaterThanOrEqual(1);
  expect(model.info.singleThreadReason).toBeUndefined();
  expect(model.info.bytes).toBeGreaterThan(0);
  await rt.close();
});
