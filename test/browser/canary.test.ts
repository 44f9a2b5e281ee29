import { afterAll, beforeAll, expect, test } from 'vitest';
import { type AnomalyEvent, createRuntime, type Feeds } from '../../src/index.js';
import { describeFile, manifestDataUrl, singleFileManifest } from '../support/browser/manifests.js';
import { models } from '../support/browser/models.js';
import { floatsOf, randomFloats, seededRandom } from '../support/browser/tensors.js';

/**
 * The manifest's canary: golden inputs and outputs checked on the backend a session lands on.
 * On the test browser's software WebGPU adapter, Silero VAD v5 answers a frame with a speech
 * probability 0.008 away from wasm's (its state by up to 0.76): with wasm's outputs as the golden
 * ones, the canary catches it as it would a GPU driver bug.
 */
const rt = createRuntime({ backends: ['webgpu', 'wasm'] });
const events: AnomalyEvent[] = [];
rt.on('anomaly', (event) => events.push(event));
afterAll(() => rt.close());

const input = [0.25, -1.5, 3, 0.125, 1, 2, -0.5, 0.75];
const feeds = (): Feeds => ({ x: { type: 'float32', data: Float32Array.from(input), dims: [2, 4] } });
let base: { files: { url: string }[] } & Record<string, unknown>;
let wasmY: number[];

beforeAll(async () => {
  const manifestUrl = new URL(models.mlpManifest, location.href);
  base = await (await fetch(manifestUrl)).json();
  base.files = base.files.map((file) => ({ ...file, url: new URL(file.url, manifestUrl).href }));
  const cpu = await rt.load(manifestDataUrl(base), { backends: ['wasm'] });
  wasmY = Array.from(floatsOf((await cpu.run(feeds())).logits));
  await cpu.dispose();
}, 120_000);

const withCanary = (expected: number[], tolerance: { atol?: number; rtol?: number } = {}) =>
  manifestDataUrl({
    ...base,
    canary: [
      {
        name: 'two rows',
        inputs: { x: { type: 'float32', dims: [2, 4], data: input } },
        outputs: { logits: { data: expected } },
        ...tolerance,
      },
    ],
  });

test('a canary within tolerance: the first backend keeps the model', { timeout: 120_000 }, async () => {
  const model = await rt.load(withCanary(wasmY));
  expect(model.info.backend).toBe('webgpu');
  expect(model.info.canary).toEqual({ cases: 1, passedOn: 'webgpu', failed: [] });
  // The canary's run is the model's warm-up, a load phase of its own.
  expect(model.info.loadTimings.warmupMs).toBeGreaterThan(0);
  expect(rt.metrics().models.find((m) => m.backend === 'webgpu')?.load.warmup.count).toBe(1);
  await model.dispose();
});

test('a backend out of tolerance is passed over for the next, with an anomaly', { timeout: 180_000 }, async () => {
  const vadUrl = new URL(models.vad, location.href).href;
  const frame = Array.from(randomFloats(seededRandom(11), 512, 0.5));
  const vadFeeds = (): Feeds => ({
    input: { type: 'float32', data: Float32Array.from(frame), dims: [1, 512] },
    state: { type: 'float32', data: new Float32Array(256), dims: [2, 1, 128] },
    sr: { type: 'int64', data: new BigInt64Array([16000n]), dims: [] },
  });
  const cpu = await rt.load(vadUrl, { backends: ['wasm'] });
  const golden = Array.from(floatsOf((await cpu.run(vadFeeds())).output));
  await cpu.dispose();
  const manifest = {
    ...singleFileManifest('vad', '5.0.0', vadUrl, await describeFile(models.vad)),
    canary: [
      {
        name: 'one frame',
        inputs: {
          input: { type: 'float32', dims: [1, 512], data: frame },
          state: { type: 'float32', dims: [2, 1, 128], data: new Array(256).fill(0) },
          sr: { type: 'int64', dims: [], data: [16000] },
        },
        outputs: { output: { dims: [1, 1], data: golden } },
      },
    ],
  };
  events.length = 0;
  const model = await rt.load(manifestDataUrl(manifest));
  expect(model.info.backend).toBe('wasm');
  expect(model.info.canary?.passedOn).toBe('wasm');
  expect(model.info.canary?.failed).toEqual([
    {
      backend: 'webgpu',
      reason: expect.stringMatching(/^canary "one frame": output "output"\[0\] is .*, expected .* \(atol 0.0001, rtol 0.001\)$/),
    },
  ]);
  expect(model.info.fallbackReason).toMatch(/^webgpu: canary "one frame"/);
  expect(model.info.attempts.map((a) => [a.backend, a.ok])).toEqual([
    ['webgpu', false],
    ['wasm', true],
  ]);
  expect(events).toEqual([
    expect.objectContaining({ kind: 'canary', model: 'vad', backend: 'wasm', details: { failedOn: 'webgpu', movedTo: 'wasm' } }),
  ]);
  expect(Array.from(floatsOf((await model.run(vadFeeds())).output))).toEqual(golden);
  await model.dispose();
});

test('a canary no backend passes fails the load with canary-failed', { timeout: 120_000 }, async () => {
  const wrong = wasmY.map((y) => y + 1);
  await expect(rt.load(withCanary(wrong))).rejects.toMatchObject({
    name: 'ModelError',
    code: 'canary-failed',
    details: { failed: [{ backend: 'webgpu' }, { backend: 'wasm' }] },
  });
});

test('a canary naming an input the model lacks is a manifest error naming the field', async () => {
  const url = manifestDataUrl({
    ...base,
    canary: [{ inputs: { nope: { type: 'float32', dims: [1], data: [1] } }, outputs: {} }],
  });
  await expect(rt.load(url, { backends: ['wasm'] })).rejects.toMatchObject({
    name: 'ManifestError',
    code: 'manifest-invalid',
    details: { field: 'canary[0].inputs', expected: 'x', actual: 'nope' },
  });
  const malformed = manifestDataUrl({
    ...base,
    canary: [{ inputs: { x: { type: 'float32', dims: [2], data: [1] } }, outputs: {} }],
  });
  await expect(rt.load(malformed, { backends: ['wasm'] })).rejects.toMatchObject({
    name: 'ManifestError',
    code: 'manifest-invalid',
  });
});
