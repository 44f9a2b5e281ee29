import { afterAll, beforeEach, expect, test } from 'vitest';
import { createRuntime, ManifestError } from '../../src/index.js';
import { manifestDataUrl } from '../support/browser/manifests.js';
import { modelBytes } from '../support/browser/model-bytes.js';
import { models } from '../support/browser/models.js';
import { bytesOf, randomFloats, seededRandom } from '../support/browser/tensors.js';

/**
 * A manifest may list other builds of its model (`variants`); `rt.load(url, { variant })` asks
 * for one. A float16 build needs WebGPU with `shader-f16`, which this rig's software adapter
 * (SwiftShader) lacks: asked for, it falls back to the float32 build, says why, and its file is
 * never fetched.
 */
const rt = createRuntime({ backends: ['webgpu', 'wasm'] });
afterAll(() => rt.close());
beforeEach(() => rt.cache.clear());

const x = () => ({ x: { type: 'float32', data: randomFloats(seededRandom(3), 8), dims: [2, 4] } }) as const;
const float32Bytes = 523; // mlp.onnx; mlp-fp16.onnx is 520

test('precondition: this adapter has no shader-f16', async () => {
  const adapter = await (
    navigator as unknown as { gpu: { requestAdapter(): Promise<{ features: Set<string> }> } }
  ).gpu.requestAdapter();
  expect(adapter.features.has('shader-f16')).toBe(false);
});

test('a float16 variant where shader-f16 is missing: the float32 build, on WebGPU, with the reason', async () => {
  const model = await rt.load(models.mlpVariantsManifest, { variant: 'fp16' });
  expect(model.info).toMatchObject({ id: 'mlp-variants', backend: 'webgpu', bytes: float32Bytes });
  expect(model.info.variant).toEqual({
    name: 'default',
    precision: 'float32',
    needs: [],
    asked: 'fp16',
    fallbackReason: 'variant "fp16" needs shader-f16, which this WebGPU adapter lacks; using variant "default" (float32)',
  });
  expect(await modelBytes(rt)).toBe(float32Bytes);
  const plain = await rt.load(models.mlp);
  expect(bytesOf((await model.run(x())).logits)).toEqual(bytesOf((await plain.run(x())).logits));
});

test('on wasm only, a float16 variant falls back the same way, saying WebGPU was not asked for', async () => {
  const model = await rt.load(models.mlpVariantsManifest, { variant: 'fp16', backends: ['wasm'] });
  expect(model.info.backend).toBe('wasm');
  expect(model.info.variant?.fallbackReason).toBe(
    'variant "fp16" needs WebGPU (shader-f16): webgpu is not among the backends asked for (wasm); using variant "default" (float32)',
  );
});

test('without a variant: the top-level files, reported as "default"', async () => {
  const model = await rt.load(models.mlpVariantsManifest);
  expect(model.info.variant).toEqual({ name: 'default', precision: 'float32', needs: [] });
});

test('an unknown variant fails with variant-unknown before any model byte is fetched; the runtime goes on', async () => {
  const error = await rt.load(models.mlpVariantsManifest, { variant: 'int3' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ManifestError);
  expect(error).toMatchObject({ code: 'variant-unknown', details: { expected: 'default | fp16', actual: 'int3' } });
  expect(await modelBytes(rt)).toBe(0);
  await expect(rt.load(models.mlpVariantsManifest)).resolves.toBeDefined();
});

test('a bad variant option is refused on the page with invalid-options', async () => {
  await expect(rt.load(models.mlpVariantsManifest, { variant: '../fp16' })).rejects.toMatchObject({
    name: 'StateError',
    code: 'invalid-options',
    details: { option: 'variant' },
  });
});

test('deleting the version deletes the files of every build that was stored', async () => {
  // Both builds stored on this rig: the float16 file is listed as a variant that needs nothing
  // (its inputs and outputs are float32, and wasm runs it), under the same id and version.
  type Files = { files: { url: string }[] };
  const manifest = (await (await fetch(models.mlpVariantsManifest)).json()) as Files & { variants: Files[] };
  const absolute = ({ files }: Files) =>
    files.map((file) => ({ ...file, url: new URL(file.url, new URL(models.mlpVariantsManifest, location.href)).href }));
  const both = {
    ...manifest,
    files: absolute(manifest),
    variants: [{ name: 'edges32', precision: 'float32', files: absolute(manifest.variants[0] as Files) }],
  };
  await rt.load(models.mlpVariantsManifest);
  const alt = await rt.load(manifestDataUrl(both), { variant: 'edges32', backends: ['wasm'] });
  expect(alt.info.variant?.name).toBe('edges32');
  expect(await modelBytes(rt)).toBe(float32Bytes + 520);
  expect(await rt.cache.delete('mlp-variants', '1.0.0')).toBe(1);
  expect(await modelBytes(rt)).toBe(0);
});
