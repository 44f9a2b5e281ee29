import { expect, test } from 'vitest';
import { createRuntime } from '../../src/index.js';
import { models } from '../support/browser/models.js';
import { bytesOf, randomFloats, seededRandom } from '../support/browser/tensors.js';

/** The page under test is cross-origin isolated, so wasm threads can be used when asked for. */
test('two wasm threads run and give the same results as one', async () => {
  const [one, two] = [createRuntime({ backends: ['wasm'], threads: 1 }), createRuntime({ backends: ['wasm'], threads: 2 })];
  const [a, b] = [await one.load(models.heavy), await two.load(models.heavy)];
  expect(crossOriginIsolated).toBe(true);
  expect(a.info.threads).toBe(1);
  // One thread because it was asked for: no reason given.
  expect(a.info.singleThread).toBeUndefined();
  expect(b.info).toMatchObject({ threads: 2, crossOriginIsolated: true });
  expect(b.info.singleThreadReason).toBeUndefined();
  expect(b.info.singleThread).toBeUndefined();
  const x = randomFloats(seededRandom(1), 256);
  const [ya, yb] = [
    await a.run({ x: { type: 'float32', data: x.slice(), dims: [1, 256] } }),
    await b.run({ x: { type: 'float32', data: x.slice(), dims: [1, 256] } }),
  ];
  expect(bytesOf(yb.y)).toEqual(bytesOf(ya.y));
  await one.close();
  await two.close();
});

test('a WebGPU session runs its CPU side on one thread and says why', async () => {
  const rt = createRuntime({ backends: ['webgpu'], threads: 2 });
  const model = await rt.load(models.add);
  expect(model.info).toMatchObject({
    backend: 'webgpu',
    threads: 1,
    singleThread: 'webgpu',
    singleThreadReason: expect.stringMatching(/WebGPU/),
  });
  await rt.close();
});
