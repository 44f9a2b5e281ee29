import { expect, test } from 'vitest';
import { BackendError, createRuntime } from '../../src/index.js';
import { models } from '../support/browser/models.js';

/** This project's Chromium is launched without --enable-unsafe-webgpu: no WebGPU adapter. */
test('with WebGPU unavailable the default backends run the model on WASM and say why', async () => {
  const rt = createRuntime();
  const model = await rt.load(models.add);
  expect(model.info.backend).toBe('wasm');
  expect(model.info.fallbackReason).toMatch(/^webgpu: WebGPU is not available/);
  expect(model.info.attempts).toEqual([
    { backend: 'webgpu', ok: false, reason: expect.stringMatching(/WebGPU is not available/) },
    { backend: 'wasm', ok: true },
  ]);
  const data = new Float32Array([1, 2, 3, 4, 5, 6]);
  const out = await model.run({
    a: { type: 'float32', data, dims: [2, 3] },
    b: { type: 'float32', data: data.slice(), dims: [2, 3] },
  });
  expect(Array.from(out.sum?.data as Float32Array)).toEqual([2, 4, 6, 8, 10, 12]);
  await rt.close();
});

test('asking for WebGPU only fails with backend-unavailable and the reason', async () => {
  const rt = createRuntime({ backends: ['webgpu'] });
  const error = await rt.load(models.add).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BackendError);
  expect(error).toMatchObject({ code: 'backend-unavailable', message: expect.stringMatching(/WebGPU is not available/) });
  await rt.close();
});

test('a float16 variant without WebGPU: the float32 build on wasm, with the reason', async () => {
  const rt = createRuntime();
  const model = await rt.load(models.mlpVariantsManifest, { variant: 'fp16' });
  expect(model.info.backend).toBe('wasm');
  expect(model.info.variant).toMatchObject({ name: 'default', precision: 'float32', asked: 'fp16' });
  expect(model.info.variant?.fallbackReason).toMatch(/^variant "fp16" needs WebGPU \(shader-f16\): WebGPU is not available/);
  await rt.close();
});
