import { afterAll, describe, expect, test } from 'vitest';
import { createRuntime, type Feeds, type Model } from '../../src/index.js';
import { models } from '../support/browser/models.js';
import { copyFeeds, floatsOf, maxAbsDiff, randomFloats, seededRandom } from '../support/browser/tensors.js';
import { legacyVadFeeds, vadFeeds } from '../support/browser/vad.js';

/** The WebGPU path (software adapter in the test browser) agrees with WASM within 1e-4. */
const gpu = createRuntime({ backends: ['webgpu'] });
const cpu = createRuntime({ backends: ['wasm'] });
afterAll(async () => {
  await gpu.close();
  await cpu.close();
});

async function loadBoth(url: string): Promise<[Model, Model]> {
  const [onGpu, onCpu] = [await gpu.load(url), await cpu.load(url)];
  expect(onGpu.info.backend).toBe('webgpu');
  expect(onGpu.info.fallbackReason).toBeUndefined();
  expect(onCpu.info.backend).toBe('wasm');
  return [onGpu, onCpu];
}

describe('WebGPU agrees with WASM', () => {
  const random = seededRandom(3);

  // The software adapter is slow (~50× WASM): heavy gets one call.
  test.each([
    ['mlp', 3, models.mlp, (): Feeds => ({ x: { type: 'float32', data: randomFloats(random, 8 * 4, 3), dims: [8, 4] } })],
    ['heavy', 1, models.heavy, (): Feeds => ({ x: { type: 'float32', data: randomFloats(random, 256), dims: [1, 256] } })],
  ])('%s', { timeout: 180_000 }, async (_, calls, url, makeFeeds) => {
    const [onGpu, onCpu] = await loadBoth(url);
    for (let i = 0; i < calls; i++) {
      const feeds = makeFeeds();
      const [a, b] = [await onGpu.run(copyFeeds(feeds)), await onCpu.run(copyFeeds(feeds))];
      for (const name of Object.keys(b)) expect(maxAbsDiff(a[name], b[name])).toBeLessThanOrEqual(1e-4);
    }
  });

  test('Silero VAD v4, LSTM state carried between calls', async () => {
    const [onGpu, onCpu] = await loadBoth(models.vadLegacy);
    const gpuState = { h: new Float32Array(128), c: new Float32Array(128) };
    const cpuState = { h: new Float32Array(128), c: new Float32Array(128) };
    const [r1, r2] = [seededRandom(5), seededRandom(5)];
    for (let frame = 0; frame < 4; frame++) {
      const a = await onGpu.run(legacyVadFeeds(r1, gpuState.h, gpuState.c));
      const b = await onCpu.run(legacyVadFeeds(r2, cpuState.h, cpuState.c));
      for (const name of ['output', 'hn', 'cn']) expect(maxAbsDiff(a[name], b[name])).toBeLessThanOrEqual(1e-4);
      gpuState.h = floatsOf(a.hn);
      gpuState.c = floatsOf(a.cn);
      cpuState.h = floatsOf(b.hn);
      cpuState.c = floatsOf(b.cn);
    }
  });

  /**
   * Silero VAD v5 runs on WebGPU but onnxruntime-web 1.30's WebGPU kernels disagree with its own
   * CPU kernels on it (frame 0 speech probability 0.01425 vs 0.01209 here; both wasm builds agree
   * bit for bit, and v4 agrees within 1e-6), so only running is asserted. The manifest canary of a
   * later issue is what catches such a model in the field and moves it to WASM.
   */
  test('Silero VAD v5 runs on WebGPU', async () => {
    const model = await gpu.load(models.vad);
    expect(model.info.backend).toBe('webgpu');
    const out = await model.run(vadFeeds(seededRandom(5), new Float32Array(256)));
    expect(out.output?.dims).toEqual([1, 1]);
    expect(out.stateN?.dims).toEqual([2, 1, 128]);
    const probability = floatsOf(out.output)[0] as number;
    expect(probability).toBeGreaterThanOrEqual(0);
    expect(probability).toBeLessThanOrEqual(1);
  });

  test('concurrent calls on one WebGPU session all complete (they are serialized)', async () => {
    const model = await gpu.load(models.mlp);
    const feeds = Array.from(
      { length: 4 },
      () => ({ x: { type: 'float32', data: randomFloats(random, 4), dims: [1, 4] } }) satisfies Feeds,
    );
    const results = await Promise.all(feeds.map((f) => model.run(copyFeeds(f))));
    expect(results.map((r) => r.logits?.dims)).toEqual(Array(4).fill([1, 3]));
  });
});
