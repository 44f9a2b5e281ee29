import { afterAll, expect, test } from 'vitest';
import { createRuntime, InputError, type OutputValue } from '../../src/index.js';
import references from '../fixtures/text/references.json';
import { manifestDataUrl } from '../support/browser/manifests.js';
import { models } from '../support/browser/models.js';

/**
 * Text through the manifest's tokenizer (a small WordPiece tokenizer.json) in the worker, against
 * what Hugging Face's Rust `tokenizers` made of the same sentences with truncation and padding
 * on (scripts/make-text-fixture.py): ids, attention masks and token type ids, exactly.
 */
const rt = createRuntime({ backends: ['wasm'] });
afterAll(() => rt.close());

const rows = (value: OutputValue | undefined) => {
  const data = Array.from(value?.data as BigInt64Array, Number);
  const [, width = 0] = value?.dims ?? [];
  return Array.from({ length: data.length / width }, (_, r) => data.slice(r * width, (r + 1) * width));
};

async function probe(padding: 'max-length' | 'longest') {
  const manifestUrl = new URL(models.textProbeManifest, location.href);
  const manifest = await (await fetch(manifestUrl)).json();
  manifest.files = manifest.files.map((file: { url: string }) => ({ ...file, url: new URL(file.url, manifestUrl).href }));
  manifest.transforms.inputs.input_ids[0].padding = padding;
  return rt.load(manifestDataUrl(manifest));
}

test.each([
  ['max-length', references.maxLengthPadded],
  ['longest', references.longestPadded],
] as const)('padding to %s: the same ids, mask and type ids as Hugging Face tokenizers', async (padding, expected) => {
  const model = await probe(padding);
  expect(model.info.transforms?.provided).toEqual(['attention_mask', 'token_type_ids']);
  const { outputs, timings } = await model.runDetailed({ input_ids: references.sentences });
  expect(rows(outputs.ids)).toEqual(expected.map((e) => e.ids));
  expect(rows(outputs.mask)).toEqual(expected.map((e) => e.attention_mask));
  expect(rows(outputs.types)).toEqual(expected.map((e) => e.type_ids));
  expect(timings.preprocessMs).toBeGreaterThan(0);
});

test('one sentence is a batch of one', async () => {
  const model = await rt.load(models.textProbeManifest);
  const { ids } = await model.run({ input_ids: references.sentences[0] as string });
  expect(rows(ids)).toEqual([references.maxLengthPadded[0]?.ids]);
});

test.each([
  ['a number', 42, 'Number'],
  ['an empty array', [], 'an empty array'],
  ['an array with a number in it', ['fine', 3], 'Array'],
])('%s is an InputError naming the input; the model goes on', async (_, value, actual) => {
  const model = await rt.load(models.textProbeManifest);
  const error = await model.run({ input_ids: value as never }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  expect(error).toMatchObject({ code: 'input-invalid', details: { input: 'input_ids', actual } });
  await expect(model.run({ input_ids: 'good film' })).resolves.toBeDefined();
});
