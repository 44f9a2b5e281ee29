import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { forgetWebGpu, probeWebGpu } from '../../src/session/webgpu-probe.js';

/**
 * The worker's WebGPU probe: a worker's first `requestAdapter()` took 28–33 ms here, and one
 * load asked up to three times (its build, the wasm warm start, its session). Asked once per
 * worker now, until a device is lost. The adapter here is a stand-in that counts the asks; the
 * real one is asked in the browser tests (model-variants, device-lost).
 */
let asks = 0;
let adapter: { features: Set<string> } | null = null;

beforeEach(() => {
  asks = 0;
  forgetWebGpu();
  vi.stubGlobal('navigator', {
    gpu: {
      requestAdapter: async () => {
        asks++;
        return adapter;
      },
    },
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  forgetWebGpu();
});

test('the adapter is asked for once, however many ask at once or later, and all get its answer', async () => {
  adapter = { features: new Set(['shader-f16']) };
  const answers = await Promise.all([probeWebGpu(), probeWebGpu(), probeWebGpu()]);
  expect(await probeWebGpu()).toBe(answers[0]);
  expect(asks).toBe(1);
  for (const answer of answers) expect(answer).toEqual({ features: new Set(['shader-f16']) });
});

test('no adapter is an answer kept too, with why', async () => {
  adapter = null;
  expect(await probeWebGpu()).toEqual({ unavailable: expect.stringContaining('requestAdapter() returned null') });
  await probeWebGpu();
  expect(asks).toBe(1);
});

test('after a lost device the next probe asks again, and sees what is there now', async () => {
  adapter = { features: new Set() };
  await probeWebGpu();
  forgetWebGpu();
  adapter = null;
  expect(await probeWebGpu()).toEqual({ unavailable: expect.stringContaining('returned null') });
  expect(asks).toBe(2);
});
