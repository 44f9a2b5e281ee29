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

/** The field a manifest's text is refused for, or 'accepted'. */
function fieldOf(text: string): unknown {
  try {
    parseManifest(text, url);
  } catch (error) {
    if (error instanceof ManifestError) return error.details.field;
    throw error;
  }
  return 'accepted';
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

describe('image ops', () => {
  const imageManifest = (ops: unknown[], dims: unknown[] = [1, 3, 224, 224], type = 'float32') =>
    JSON.stringify({
      format: 'webinfer/manifest@1',
      id: 'm',
      version: '1',
      files: [{ url: 'm.onnx', role: 'model', bytes: 10, sha256: 'a'.repeat(64) }],
      inputs: [{ name: 'image', type, dims }],
      outputs: [{ name: 'y', type: 'float32', dims: [1, 2] }],
      transforms: { inputs: { image: ops } },
    });
  const image = { op: 'image', width: 224, height: 224 };
  const field = (ops: unknown[], dims?: unknown[], type?: string) => fieldOf(imageManifest(ops, dims, type));

  test('a full pipeline fits [1, 3, 224, 224]; NHWC uint8 fits [1, 224, 224, 3]', () => {
    expect(
      field([
        image,
        { op: 'scale', by: 1 / 255 },
        { op: 'normalize', mean: [0, 0, 0], std: [1, 1, 1] },
        { op: 'layout', to: 'nchw' },
      ]),
    ).toBe('accepted');
    expect(field([image, { op: 'layout', to: 'nhwc' }, { op: 'dtype', to: 'uint8' }], ['batch', 224, 224, 3], 'uint8')).toBe(
      'accepted',
    );
  });

  test.each([
    ['a size past 8192', [{ ...image, width: 9000 }], undefined, undefined, 'transforms.inputs.image.0.width'],
    ['an unknown fit', [{ ...image, fit: 'cover' }], undefined, undefined, 'transforms.inputs.image.0.fit'],
    ['a pad of two values', [{ ...image, pad: [1, 2] }], undefined, undefined, 'transforms.inputs.image.0.pad'],
    [
      'a zero std',
      [image, { op: 'normalize', mean: [0, 0, 0], std: [1, 0, 1] }],
      undefined,
      undefined,
      'transforms.inputs.image.1.std.1',
    ],
    [
      'normalize without a reader first',
      [{ op: 'normalize', mean: [0, 0, 0], std: [1, 1, 1] }],
      undefined,
      undefined,
      'transforms.inputs.image',
    ],
    ['an op twice', [image, { op: 'scale', by: 2 }, { op: 'scale', by: 2 }], undefined, undefined, 'transforms.inputs.image'],
    ['another size than the input', [{ ...image, width: 256 }], undefined, undefined, 'transforms.inputs.image'],
    ['NHWC for an NCHW input', [image, { op: 'layout', to: 'nhwc' }], undefined, undefined, 'transforms.inputs.image'],
    ['float32 for a uint8 input', [image], undefined, 'uint8', 'transforms.inputs.image'],
  ])('%s is refused, naming the field', (_, ops, dims, type, expected) => {
    expect(field(ops, dims, type)).toBe(expected);
  });
});

describe('detection and CTC ops', () => {
  const withOutput = (dims: unknown[], ops: unknown[]) =>
    JSON.stringify({
      format: 'webinfer/manifest@1',
      id: 'm',
      version: '1',
      files: [{ url: 'm.onnx', role: 'model', bytes: 10, sha256: 'a'.repeat(64) }],
      inputs: [{ name: 'x', type: 'float32', dims: [1, 3, 8, 8] }],
      outputs: [{ name: 'y', type: 'float32', dims }],
      transforms: { outputs: { y: ops } },
    });
  const field = (dims: unknown[], ops: unknown[]) => fieldOf(withOutput(dims, ops));

  test.each([
    [
      'YOLOv8-style nms with 80 labels',
      [1, 84, 8400],
      [{ op: 'nms', labels: Array.from({ length: 80 }, (_, i) => `c${i}`) }],
      'accepted',
    ],
    ['nms with the wrong label count', [1, 84, 8400], [{ op: 'nms', labels: ['a'] }], 'transforms.outputs.y.0.labels'],
    ['nms on a rank-2 output', [1, 84], [{ op: 'nms' }], 'transforms.outputs.y.0'],
    ['an iou threshold past 1', [1, 84, 8400], [{ op: 'nms', iouThreshold: 2 }], 'transforms.outputs.y.0.iouThreshold'],
    ['ctc with one entry per class', ['batch', 'time', 3], [{ op: 'ctc-greedy', alphabet: ['', 'a', 'b'] }], 'accepted'],
    ['ctc with too few entries', [1, 50, 3], [{ op: 'ctc-greedy', alphabet: ['', 'a'] }], 'transforms.outputs.y.0.alphabet'],
    [
      'ctc with a blank past the alphabet',
      [1, 50, 3],
      [{ op: 'ctc-greedy', alphabet: ['', 'a', 'b'], blank: 3 }],
      'transforms.outputs.y.0.blank',
    ],
  ])('%s', (_, dims, ops, expected) => {
    expect(field(dims, ops)).toBe(expected);
  });
});

describe('audio, constants and recurrent state', () => {
  const vad = (transforms: unknown) =>
    JSON.stringify({
      format: 'webinfer/manifest@1',
      id: 'vad',
      version: '5',
      files: [{ url: 'vad.onnx', role: 'model', bytes: 10, sha256: 'a'.repeat(64) }],
      inputs: [
        { name: 'input', type: 'float32', dims: [1, 512] },
        { name: 'state', type: 'float32', dims: [2, 1, 128] },
        { name: 'sr', type: 'int64', dims: [] },
      ],
      outputs: [
        { name: 'output', type: 'float32', dims: [1, 1] },
        { name: 'stateN', type: 'float32', dims: [2, 1, 128] },
      ],
      transforms,
    });
  const good = {
    inputs: {
      input: [{ op: 'audio', sampleRate: 16000, frame: 512 }],
      sr: [{ op: 'constant', type: 'int64', value: [16000], dims: [] }],
    },
    state: [{ input: 'state', output: 'stateN' }],
  };
  const field = (transforms: unknown) => fieldOf(vad(transforms));

  test.each([
    ['Silero VAD as the audio tests declare it', good, 'accepted'],
    [
      'frames of another size than the input',
      { ...good, inputs: { ...good.inputs, input: [{ op: 'audio', sampleRate: 16000, frame: 256 }] } },
      'transforms.inputs.input',
    ],
    [
      'a constant of another type',
      { ...good, inputs: { ...good.inputs, sr: [{ op: 'constant', type: 'int32', value: [16000], dims: [] }] } },
      'transforms.inputs.sr.0.type',
    ],
    [
      'a constant whose values do not fill its dims',
      { ...good, inputs: { ...good.inputs, sr: [{ op: 'constant', type: 'int64', value: [1, 2], dims: [] }] } },
      'transforms.inputs.sr.0',
    ],
    ['state from an output the model lacks', { ...good, state: [{ input: 'state', output: 'hn' }] }, 'transforms.state.0.output'],
    ['state into an input the model lacks', { ...good, state: [{ input: 'h', output: 'stateN' }] }, 'transforms.state.0.input'],
    [
      'ops after an audio reader',
      {
        ...good,
        inputs: {
          ...good.inputs,
          input: [
            { op: 'audio', sampleRate: 16000 },
            { op: 'scale', by: 2 },
          ],
        },
      },
      'transforms.inputs.input',
    ],
    [
      'a sample rate of 100 Hz',
      { ...good, inputs: { ...good.inputs, input: [{ op: 'audio', sampleRate: 100 }] } },
      'transforms.inputs.input.0.sampleRate',
    ],
  ])('%s', (_, transforms, expected) => {
    expect(field(transforms)).toBe(expected);
  });
});

describe('the text op', () => {
  const textManifest = (files: unknown[], op: Record<string, unknown>, maskType = 'int64') =>
    JSON.stringify({
      format: 'webinfer/manifest@1',
      id: 't',
      version: '1',
      files,
      inputs: [
        { name: 'input_ids', type: 'int64', dims: ['batch', 'tokens'] },
        { name: 'attention_mask', type: maskType, dims: ['batch', 'tokens'] },
      ],
      outputs: [{ name: 'y', type: 'float32', dims: ['batch', 2] }],
      transforms: { inputs: { input_ids: [{ op: 'text', maxLength: 16, ...op }] } },
    });
  const model = { url: 't.onnx', role: 'model', bytes: 10, sha256: 'a'.repeat(64) };
  const tokenizer = { url: 'tokenizer.json', role: 'tokenizer', bytes: 10, sha256: 'b'.repeat(64) };
  const field = (files: unknown[], op: Record<string, unknown>, maskType?: string) => fieldOf(textManifest(files, op, maskType));

  test.each([
    ['a tokenizer file and an int64 mask', [model, tokenizer], { attentionMask: 'attention_mask' }, undefined, 'accepted'],
    ['no tokenizer file', [model], {}, undefined, 'files'],
    [
      'a mask input of another type',
      [model, tokenizer],
      { attentionMask: 'attention_mask' },
      'int32',
      'transforms.inputs.input_ids.0',
    ],
    [
      'a mask input the model lacks',
      [model, tokenizer],
      { tokenTypeIds: 'token_type_ids' },
      undefined,
      'transforms.inputs.input_ids.0',
    ],
    ['a maxLength of 0', [model, tokenizer], { maxLength: 0 }, undefined, 'transforms.inputs.input_ids.0.maxLength'],
  ])('%s', (_, files, op, maskType, expected) => {
    expect(field(files, op, maskType)).toBe(expected);
  });
});

describe('labels from a file', () => {
  const withLabels = (files: unknown[]) =>
    JSON.stringify({
      format: 'webinfer/manifest@1',
      id: 'm',
      version: '1',
      files: [{ url: 'm.onnx', role: 'model', bytes: 10, sha256: 'a'.repeat(64) }, ...files],
      inputs: [{ name: 'x', type: 'float32', dims: ['batch', 3] }],
      outputs: [{ name: 'y', type: 'float32', dims: ['batch', 2] }],
      transforms: { outputs: { y: [{ op: 'top-k', k: 1, labels: { file: 'labels.txt' } }] } },
    });
  const labelsFile = { url: 'labels.txt', role: 'labels', bytes: 4, sha256: 'c'.repeat(64) };

  test('name a file of role "labels"', () => {
    expect(fieldOf(withLabels([labelsFile]))).toBe('accepted');
    expect(fieldOf(withLabels([]))).toBe('transforms.outputs.y.0.labels.file');
    expect(fieldOf(withLabels([{ ...labelsFile, role: 'tokenizer' }]))).toBe('transforms.outputs.y.0.labels.file');
  });
});
