import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseManifest } from '../../src/artifacts/parse-manifest.js';
import { fixtureCopy, runCli } from './support/cli.js';

const dir = fixtureCopy();
const write = (name: string, json: unknown) =>
  writeFileSync(join(dir, name), typeof json === 'string' ? json : JSON.stringify(json));

describe('webinfer manifest --transforms', () => {
  test("puts the file in the manifest; it equals the fixture script's, and the runtime reads it back", async () => {
    const fixture = JSON.parse(readFileSync(join(dir, 'mlp-tabular.manifest.json'), 'utf8'));
    write('tabular.json', fixture.transforms);
    const result = await runCli(
      ['manifest', 'mlp.onnx', '--id', 'mlp-tabular', '--transforms', 'tabular.json', '--out', 'out.json'],
      { cwd: dir },
    );
    expect(result).toMatchObject({ code: 0, stdout: '' });
    const text = readFileSync(join(dir, 'out.json'), 'utf8');
    expect(JSON.parse(text)).toEqual(fixture);
    expect(parseManifest(text, pathToFileURL(join(dir, 'out.json')).href).transforms).toEqual(fixture.transforms);
  });

  test.each([
    ['not JSON', '{"inputs":', 'bad.json is not JSON'],
    ['an unknown op', { outputs: { logits: [{ op: 'softermax' }] } }, 'bad.json: field "outputs.logits.0.op" must be'],
    [
      'an output the model does not have',
      { outputs: { y: [{ op: 'softmax' }] } },
      'bad.json does not fit the model: field "transforms.outputs.y"',
    ],
    [
      'fields making 3 columns for a 4-column input',
      { inputs: { x: [{ op: 'row', fields: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }] } },
      'must be fields making 4 columns',
    ],
  ])('%s fails naming the file and the field', async (_, json, message) => {
    write('bad.json', json);
    const result = await runCli(['manifest', 'mlp.onnx', '--transforms', 'bad.json', '--out', '-'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
  });
});

test('--tokenizer adds the tokenizer file; with it, a text transform checks out', async () => {
  const fixture = JSON.parse(readFileSync(join(dir, 'text-probe.manifest.json'), 'utf8'));
  write('text.json', fixture.transforms);
  mkdirSync(join(dir, 'text'), { recursive: true });
  copyFileSync(fileURLToPath(new URL('../fixtures/text/tokenizer.json', import.meta.url)), join(dir, 'text', 'tokenizer.json'));
  const result = await runCli(
    ['manifest', 'text-probe.onnx', '--tokenizer', 'text/tokenizer.json', '--transforms', 'text.json', '--out', 'text-out.json'],
    { cwd: dir },
  );
  expect(result).toMatchObject({ code: 0 });
  const [modelFile, tokenizerFile] = fixture.files;
  expect(JSON.parse(readFileSync(join(dir, 'text-out.json'), 'utf8'))).toEqual({
    ...fixture,
    files: [modelFile, { ...tokenizerFile, url: 'text/tokenizer.json' }],
  });
  const without = await runCli(['manifest', 'text-probe.onnx', '--transforms', 'text.json', '--out', '-'], { cwd: dir });
  expect(without.code).toBe(1);
  expect(without.stderr).toContain('a file with role "tokenizer"');
});
