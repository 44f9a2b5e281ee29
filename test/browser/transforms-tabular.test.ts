import { afterAll, expect, test } from 'vitest';
import { createRuntime, InputError, type Predictions } from '../../src/index.js';
import { manifestDataUrl } from '../support/browser/manifests.js';
import { models } from '../support/browser/models.js';
import { floatsOf } from '../support/browser/tensors.js';

/**
 * A manifest's transforms, end to end in the worker: tabular rows in (imputed, scaled, one-hot,
 * as the manifest says), the top-2 labelled classes out, against the same model fed the columns
 * worked out by hand and postprocessed here.
 */
const rt = createRuntime({ backends: ['wasm'] });
afterAll(() => rt.close());

const labels = ['low', 'mid', 'high'];
/** age: (v − 40) ÷ 10, missing → 40; hours: v ÷ 80; color: one-hot of red, blue (others: zeros). */
const rows = [
  { age: 52, hours: 20, color: 'red' },
  { age: null, hours: 80, color: 'blue' },
  { hours: 0, color: 'green' },
];
const columns = new Float32Array([1.2, 0.25, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0]);

function softmaxTop2(logits: Float32Array, row: number) {
  const x = Array.from(logits.subarray(row * 3, row * 3 + 3));
  const max = Math.max(...x);
  const e = x.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e
    .map((v, index) => ({ index, label: labels[index], score: v / sum }))
    .sort((a, b) => b.score - a.score)
    .slice(0, 2);
}

test('rows in, labelled top-2 out, matching the model fed hand-made columns', async () => {
  const model = await rt.load(models.mlpTabularManifest);
  expect(model.info.transforms).toEqual({ inputs: { x: 'row' }, outputs: { logits: ['softmax', 'top-k'] }, provided: [] });
  const { outputs, timings } = await model.runDetailed({ x: rows });
  const plain = await rt.load(models.mlp);
  const logits = floatsOf((await plain.run({ x: { type: 'float32', data: columns.slice(), dims: [3, 4] } })).logits);
  const predictions = outputs.logits as Predictions;
  expect(predictions.type).toBe('predictions');
  expect(predictions.dims).toEqual([3, 2]);
  for (const [row, got] of predictions.data.entries()) {
    const want = softmaxTop2(logits, row);
    expect(got.map((p) => [p.index, p.label])).toEqual(want.map((p) => [p.index, p.label]));
    for (const [i, p] of got.entries()) expect(p.score).toBeCloseTo(want[i]?.score ?? Number.NaN, 6);
  }
  expect(timings.preprocessMs).toBeGreaterThan(0);
  expect(timings.postprocessMs).toBeGreaterThan(0);
});

test('one row alone is a batch of one; tensors still feed the model as they are, and are postprocessed', async () => {
  const model = await rt.load(models.mlpTabularManifest);
  const one = (await model.run({ x: rows[0] as (typeof rows)[number] })).logits as Predictions;
  expect(one.dims).toEqual([1, 2]);
  const fed = (await model.run({ x: { type: 'float32', data: columns.slice(0, 4), dims: [1, 4] } })).logits as Predictions;
  expect(fed.data).toEqual(one.data);
});

test.each([
  [
    'a number field that is NaN, with no impute value',
    [{ age: 30, hours: Number.NaN, color: 'red' }],
    { row: 0, field: 'hours', actual: 'NaN' },
  ],
  ['a missing field with no impute value', [{ age: 30, color: 'red' }], { row: 0, field: 'hours', actual: 'missing' }],
  [
    'text where a number belongs',
    [
      { age: 30, hours: 20, color: 'red' },
      { age: 'old', hours: 1, color: 'red' },
    ],
    { row: 1, field: 'age', actual: 'string' },
  ],
  ['a row that is not an object', [42], { row: 0, expected: 'an object of fields by name' }],
  ['no rows at all', [], { expected: 'a row or rows' }],
])('%s is an InputError naming the input, the row and the field; the model goes on', async (_, bad, details) => {
  const model = await rt.load(models.mlpTabularManifest);
  const error = await model.run({ x: bad as never }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  expect(error).toMatchObject({ code: 'input-invalid', details: { input: 'x', ...details } });
  await expect(model.run({ x: rows })).resolves.toBeDefined();
});

test('a raw value for an input without preprocessing is refused on the page', async () => {
  const model = await rt.load(models.mlp);
  await expect(model.run({ x: rows[0] as never })).rejects.toMatchObject({ name: 'InputError', details: { input: 'x' } });
});

test('labels from a file the manifest names (role "labels"), fetched and checked with the model', async () => {
  const manifestUrl = new URL(models.mlpTabularManifest, location.href);
  const manifest = await (await fetch(manifestUrl)).json();
  const labelsUrl = new URL('mlp-labels.txt', manifestUrl).href;
  const labelsBytes = new Uint8Array(await (await fetch(labelsUrl)).arrayBuffer());
  const sha256 = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', labelsBytes)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  manifest.files = [
    ...manifest.files.map((file: { url: string }) => ({ ...file, url: new URL(file.url, manifestUrl).href })),
    { url: labelsUrl, role: 'labels', bytes: labelsBytes.length, sha256 },
  ];
  manifest.transforms.outputs.logits[1].labels = { file: labelsUrl };
  const model = await rt.load(manifestDataUrl(manifest));
  const fromFile = (await model.run({ x: rows })).logits as Predictions;
  const inline = (await (await rt.load(models.mlpTabularManifest)).run({ x: rows })).logits as Predictions;
  expect(fromFile.data).toEqual(inline.data);
  expect(fromFile.data[0]?.[0]?.label).toMatch(/^(low|mid|high)$/);
});
