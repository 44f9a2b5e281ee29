import { describe, expect, test } from 'vitest';
import { chooseVariant, type GpuSupport } from '../../src/artifacts/choose-variant.js';
import { parseManifest } from '../../src/artifacts/parse-manifest.js';
import { BackendError, ManifestError } from '../../src/errors.js';

const url = 'https://example.test/models/mlp/manifest.json';
const file = (name: string, hex: string) => ({ url: name, role: 'model', bytes: 100, sha256: hex.repeat(64) });
const manifest = (extra: Record<string, unknown> = {}) =>
  parseManifest(
    JSON.stringify({
      format: 'webinfer/manifest@1',
      id: 'mlp',
      version: '1.0.0',
      files: [file('mlp.onnx', 'a')],
      inputs: [{ name: 'x', type: 'float32', dims: ['batch', 4] }],
      outputs: [{ name: 'logits', type: 'float32', dims: ['batch', 3] }],
      variants: [
        { name: 'fp16', precision: 'float16', files: [file('fp16/mlp.onnx', 'b')] },
        { name: 'q8', precision: 'int8', files: [file('mlp-q8.onnx', 'c')] },
        { name: 'sub', precision: 'float32', requires: ['subgroups'], files: [file('mlp-sub.onnx', 'd')] },
      ],
      ...extra,
    }),
    url,
  );
const gpu = (...features: string[]) => {
  let asked = 0;
  const probe = async (): Promise<GpuSupport> => {
    asked++;
    return { features: new Set(features) };
  };
  return Object.assign(probe, { asked: () => asked });
};
const noGpu = async (): Promise<GpuSupport> => ({ unavailable: 'WebGPU is not available: navigator.gpu is undefined' });

describe('manifest variants', () => {
  test('resolve like the top-level files, which are the float32 variant "default"', () => {
    const { variants } = manifest();
    expect(variants.map((v) => [v.name, v.precision, v.needs])).toEqual([
      ['default', 'float32', []],
      ['fp16', 'float16', ['shader-f16']],
      ['q8', 'int8', []],
      ['sub', 'float32', ['subgroups']],
    ]);
    expect(variants[1]?.model.url).toBe('https://example.test/models/mlp/fp16/mlp.onnx');
    expect(variants[1]?.inputs).toEqual(variants[0]?.inputs);
  });

  test.each([
    [
      'two variants of one name',
      [
        { name: 'a', precision: 'int8', files: [file('a', 'b')] },
        { name: 'a', precision: 'int8', files: [file('b', 'c')] },
      ],
      'variants',
    ],
    ['a variant named "default"', [{ name: 'default', precision: 'int8', files: [file('a', 'b')] }], 'variants.0.name'],
    [
      'a variant without a model file',
      [{ name: 'a', precision: 'int8', files: [{ ...file('a', 'b'), role: 'external-data' }] }],
      'variants.0.files',
    ],
    ['an unknown precision', [{ name: 'a', precision: 'float8', files: [file('a', 'b')] }], 'variants.0.precision'],
  ])('are refused with %s, naming the field', (_, variants, field) => {
    let error: unknown;
    try {
      manifest({ variants });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).details.field).toBe(field);
  });
});

describe('chooseVariant', () => {
  test('without a variant asked for: the top-level files, and WebGPU is not even probed', async () => {
    const probe = gpu();
    const choice = await chooseVariant(manifest(), undefined, probe);
    expect(choice).toEqual({ variant: expect.objectContaining({ name: 'default' }) });
    expect(probe.asked()).toBe(0);
  });

  test('a float16 variant where the adapter has shader-f16', async () => {
    const choice = await chooseVariant(manifest(), 'fp16', gpu('shader-f16', 'subgroups'));
    expect(choice.variant.name).toBe('fp16');
    expect(choice.fallbackReason).toBeUndefined();
  });

  test('a float16 variant where the adapter lacks shader-f16 falls back to a float32 build, saying why', async () => {
    const choice = await chooseVariant(manifest(), 'fp16', gpu('subgroups'));
    expect(choice.variant.name).toBe('default');
    expect(choice.fallbackReason).toBe(
      'variant "fp16" needs shader-f16, which this WebGPU adapter lacks; using variant "default" (float32)',
    );
  });

  test('without WebGPU, the fallback is the first float32 build that needs nothing', async () => {
    const choice = await chooseVariant(manifest(), 'fp16', noGpu);
    expect(choice.variant.name).toBe('default');
    expect(choice.fallbackReason).toMatch(/^variant "fp16" needs WebGPU \(shader-f16\): WebGPU is not available/);
    // With the top-level files in float16, the float32 "sub" needs WebGPU too: nothing is left.
    await expect(chooseVariant(manifest({ precision: 'float16' }), 'fp16', noGpu)).rejects.toMatchObject({
      name: 'BackendError',
      code: 'backend-unavailable',
    });
  });

  test('a variant that needs nothing is used as asked, GPU or not', async () => {
    expect((await chooseVariant(manifest(), 'q8', noGpu)).variant.name).toBe('q8');
  });

  test('features a variant lists are checked too', async () => {
    expect((await chooseVariant(manifest(), 'sub', gpu('subgroups'))).variant.name).toBe('sub');
    const choice = await chooseVariant(manifest(), 'sub', noGpu);
    expect(choice.variant.name).toBe('default');
    expect(choice.fallbackReason).toMatch(/^variant "sub" needs WebGPU \(subgroups\): WebGPU is not available/);
  });

  test('with no float32 build to fall back to: backend-unavailable, naming what is missing', async () => {
    const onlyHalf = manifest({ precision: 'float16', variants: [] });
    const error = await chooseVariant(onlyHalf, 'default', gpu()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ code: 'backend-unavailable', details: { variant: 'default', missing: ['shader-f16'] } });
  });

  test('an unknown variant: variant-unknown, listing those there are', async () => {
    const error = await chooseVariant(manifest(), 'fp8', gpu()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManifestError);
    expect(error).toMatchObject({ code: 'variant-unknown', details: { expected: 'default | fp16 | q8 | sub', actual: 'fp8' } });
  });
});
