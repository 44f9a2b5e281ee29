import { expect, test } from 'vitest';
import { type BackendChangeEvent, createRuntime } from '../../src/index.js';
import { hookableWorkers } from '../support/browser/hookable.js';
import { models } from '../support/browser/models.js';
import { maxAbsDiff } from '../support/browser/tensors.js';

/**
 * RELIABILITY.md 27: the WebGPU device lost mid-session (destroyed with `device.destroy()` on the
 * software adapter, through a test hook). Calls on it reject with `BackendError` `device-lost`
 * instead of hanging; the model is rebuilt on wasm under the same `Model`, reported in
 * `model.info` and by a `backend-change` event; later runs agree with the GPU's.
 */
const x = () =>
  ({ x: { type: 'float32', data: Float32Array.from({ length: 8 * 4 }, (_, i) => Math.cos(i)), dims: [8, 4] } }) as const;

test('a lost WebGPU device: pending calls reject with device-lost, the model moves to wasm and runs on', async () => {
  const hooks = hookableWorkers();
  const rt = createRuntime({ backends: ['webgpu', 'wasm'], createWorker: hooks.createWorker });
  const model = await rt.load(models.mlp);
  expect(model.info.backend).toBe('webgpu');
  const onGpu = (await model.run(x())).logits;
  const moved = new Promise<BackendChangeEvent>((resolve) => rt.on('backend-change', resolve));
  hooks.workers[0]?.postMessage('lose-gpu');
  const event = await moved;
  expect(event).toMatchObject({ id: 'mlp', from: 'webgpu', to: 'wasm' });
  expect(event.reason).toMatch(/device lost/i);
  expect(model.info.backend).toBe('wasm');
  expect(model.info.fallbackReason).toMatch(/device lost/);
  const onWasm = (await model.run(x())).logits;
  expect(maxAbsDiff(onWasm, onGpu)).toBeLessThanOrEqual(1e-4);
  // Still the same worker: a device loss is not a crash.
  expect(hooks.workers).toHaveLength(1);
  await rt.close();
}, 120_000);

test('runs waiting on the device when it is lost reject with device-lost; none is left pending', async () => {
  const hooks = hookableWorkers();
  const rt = createRuntime({ backends: ['webgpu'], createWorker: hooks.createWorker });
  const model = await rt.load(models.heavy);
  expect(model.info.backend).toBe('webgpu');
  const input = () => ({ x: { type: 'float32', data: new Float32Array(256).fill(0.1), dims: [1, 256] } }) as const;
  const moved = new Promise<BackendChangeEvent>((resolve) => rt.on('backend-change', resolve));
  // heavy takes seconds per run on the software adapter: these are queued or running when the device goes.
  const pending = Array.from({ length: 3 }, () => model.run(input()));
  await new Promise((resolve) => setTimeout(resolve, 200));
  hooks.workers[0]?.postMessage('lose-gpu');
  const outcomes = await Promise.allSettled(pending);
  const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  expect(rejected.length).toBeGreaterThan(0);
  for (const { reason } of rejected) expect(reason).toMatchObject({ name: 'BackendError', code: 'device-lost' });
  // Only webgpu was allowed, yet wasm takes over: a lost device is not the caller's choice.
  expect((await moved).to).toBe('wasm');
  expect((await model.run(input())).y?.dims).toEqual([1, 256]);
  await rt.close();
}, 180_000);
