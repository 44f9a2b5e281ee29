import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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
