import { describe, expect, test } from 'vitest';
import { parseManifest } from '../../src/artifacts/parse-manifest.js';
import { ManifestError } from '../../src/errors.js';

const url = 'https://example.test/models/mlp/manifest.json';
const sha = 'a'.repeat(64);
const good = () => ({
  format: 'webinfer/manifest@1',
  id: 'mlp',
  version: '1.0.0',
  files: [
    { url: 'mlp.onnx', role: 'model', bytes: 523, sha256: sha },
    { url: '../shared/mlp.weights', role: 'external-data', bytes: 268, sha256: 'b'.repeat(64) },
  ],
  inputs: [{ name: 'x', type: 'float32', dims: ['batch', 4] }],
  outputs: [{ name: 'logits', type: 'float32', dims: ['batch', 3] }],
});

function failure(manifest: unknown): ManifestError {
  try {
    parseManifest(typeof manifest === 'string' ? manifest : JSON.stringify(manifest), url);
  } catch (error) {
    if (error instanceof ManifestError) return error;
    throw error;
  }
  throw new Error('parseManifest accepted a bad manifest');
}

describe('parseManifest', () => {
  test('resolves file URLs against the manifest and names the model file', () => {
    const manifest = parseManifest(JSON.stringify(good()), url);
    expect(manifest.model).toMatchObject({ url: 'https://example.test/models/mlp/mlp.onnx', role: 'model', path: 'mlp.onnx' });
    expect(manifest.files[1]).toMatchObject({ url: 'https://example.test/models/shared/mlp.weights', path: 'mlp.weights' });
    expect(manifest).toMatchObject({ id: 'mlp', version: '1.0.0', url });
  });

  test('keeps the canary section and the monitoring one', () => {
    const monitoring = { nonFinite: false, ranges: { x: { min: 0, max: 1 } } };
    const canary = [
      { inputs: { x: { type: 'float32', dims: [1, 2], data: [1, 2] } }, outputs: { y: { data: [3] } }, atol: 0.01 },
    ];
    const manifest = parseManifest(JSON.stringify({ ...good(), monitoring, canary }), url);
    expect(manifest).toMatchObject({ monitoring, canary });
  });

  test.each([
    ['not JSON', '{"format":', '(root)'],
    ['a JSON array', [], '(root)'],
    ['an unknown format', { ...good(), format: 'webinfer/manifest@9' }, 'format'],
    ['a missing id', { ...good(), id: undefined }, 'id'],
    ['an id with a slash', { ...good(), id: 'a/b' }, 'id'],
    ['no files', { ...good(), files: [] }, 'files'],
    ['a bad hash', { ...good(), files: [{ ...good().files[0], sha256: 'XYZ' }] }, 'files.0.sha256'],
    ['a size that is not a positive integer', { ...good(), files: [{ ...good().files[0], bytes: -1 }] }, 'files.0.bytes'],
    ['an unknown role', { ...good(), files: [{ ...good().files[0], role: 'weights' }] }, 'files.0.role'],
    ['an unknown tensor type', { ...good(), inputs: [{ name: 'x', type: 'complex64', dims: [1] }] }, 'inputs.0.type'],
    [
      'a canary input with fewer values than its dims',
      { ...good(), canary: [{ inputs: { x: { type: 'float32', dims: [2, 2], data: [1] } }, outputs: {} }] },
      'canary.0.inputs.x',
    ],
    ['a canary that is not a list', { ...good(), canary: { any: 'thing' } }, 'canary'],
    ['an unknown field', { ...good(), extra: true }, 'extra'],
  ])('%s is refused, naming the field', (_, manifest, field) => {
    const error = failure(manifest);
    expect(error.code).toBe('manifest-invalid');
    expect(error.details).toMatchObject({ url, field });
    expect(error.message).toContain(url);
  });

  test('a manifest without exactly one model file is refused', () => {
    const files = good().files.map((f) => ({ ...f, role: 'external-data' }));
    expect(failure({ ...good(), files }).code).toBe('manifest-invalid');
  });

  test('the error says what was expected and what was found', () => {
    const error = failure({ ...good(), files: [{ ...good().files[0], bytes: 'many' }] });
    expect(error.details).toMatchObject({ field: 'files.0.bytes', expected: 'number', actual: '"many"' });
  });
});

test('a relative file URL in a manifest that has no http(s) URL (a data: URL) names the field', () => {
  const error = (() => {
    try {
      parseManifest(JSON.stringify(good()), 'data:application/json,{}');
    } catch (e) {
      return e;
    }
    throw new Error('accepted');
  })();
  expect(error).toBeInstanceOf(ManifestError);
  expect(error).toMatchObject({ code: 'manifest-invalid', details: { field: 'files.0.url', actual: 'mlp.onnx' } });
});
