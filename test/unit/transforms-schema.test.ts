import { describe, expect, test } from 'vitest';
import { parseManifest } from '../../src/artifacts/parse-manifest.js';
import { ManifestError } from '../../src/errors.js';

const url = 'https://example.test/m/manifest.json';
const manifest = (transforms: unknown) =>
  JSON.stringify({
    format: 'webinfer/manifest@1',
    id: 'm',
    version: '1',
    files: [{ url: 'm.onnx', role: 'model', bytes: 10, sha256: 'a'.repeat(64) }],
    inputs: [{ name: 'x', type: 'float32', dims: ['batch', 3] }],
    outputs: [{ name: 'y', type: 'float32', dims: ['batch', 2] }],
    transforms,
  });
const row = { op: 'row', fields: [{ name: 'a' }, { name: 'b', oneHot: ['u', 'v'] }] };

function refusal(transforms: unknown): ManifestError {
  try {
    parseManifest(manifest(transforms), url);
  } catch (error) {
    if (error instanceof ManifestError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('the transforms section', () => {
  test('a valid one is kept as written', () => {
    const transforms = {
      inputs: { x: [row] },
      outputs: { y: [{ op: 'sigmoid' }, { op: 'threshold', value: 0.5, labels: ['p', 'q'] }] },
    };
    expect(parseManifest(manifest(transforms), url).transforms).toEqual(transforms);
  });

  test.each([
    ['an unknown input op', { inputs: { x: [{ op: 'pixels' }] } }, 'transforms.inputs.x.0.op'],
    ['an unknown output op', { outputs: { y: [{ op: 'softermax' }] } }, 'transforms.outputs.y.0.op'],
    ['a bad parameter', { outputs: { y: [{ op: 'top-k', k: 0 }] } }, 'transforms.outputs.y.0.k'],
    ['an unknown parameter', { outputs: { y: [{ op: 'sigmoid', axis: 1 }] } }, 'transforms.outputs.y.0.axis'],
    [
      'a zero std',
      { inputs: { x: [{ op: 'row', fields: [{ name: 'a', standardize: { mean: 0, std: 0 } }, { name: 'b' }, { name: 'c' }] }] } },
      'transforms.inputs.x.0.fields.0.standardize.std',
    ],
    [
      'min-max with max ≤ min',
      { inputs: { x: [{ op: 'row', fields: [{ name: 'a', minMax: { min: 1, max: 1 } }, { name: 'b' }, { name: 'c' }] }] } },
      'transforms.inputs.x.0.fields.0.minMax',
    ],
    [
      'a field both one-hot and scaled',
      { inputs: { x: [{ op: 'row', fields: [{ name: 'a', oneHot: ['u'], minMax: { min: 0, max: 1 } }] }] } },
      'transforms.inputs.x.0.fields.0',
    ],
    [
      'a numeric impute for a category',
      { inputs: { x: [{ op: 'row', fields: [{ name: 'a', oneHot: ['u', 'v', 'w'], impute: 1 }] }] } },
      'transforms.inputs.x.0.fields.0',
    ],
    ['a prediction op before another op', { outputs: { y: [{ op: 'argmax' }, { op: 'softmax' }] } }, 'transforms.outputs.y'],
    ['an input the model does not have', { inputs: { z: [row] } }, 'transforms.inputs.z'],
    ['an output the model does not have', { outputs: { logits: [{ op: 'softmax' }] } }, 'transforms.outputs.logits'],
    [
      'fields making the wrong number of columns',
      { inputs: { x: [{ op: 'row', fields: [{ name: 'a' }] }] } },
      'transforms.inputs.x.0.fields',
    ],
    [
      'labels not one per class',
      { outputs: { y: [{ op: 'argmax', labels: ['p', 'q', 'r'] }] } },
      'transforms.outputs.y.0.labels',
    ],
    ['a softmax axis past the rank', { outputs: { y: [{ op: 'softmax', axis: 2 }] } }, 'transforms.outputs.y.0.axis'],
  ])('%s is refused, naming the field', (_, transforms, field) => {
    const error = refusal(transforms);
    expect(error.code).toBe('manifest-invalid');
    expect(error.details.field).toBe(field);
    expect(error.message).toContain(field);
  });
});
