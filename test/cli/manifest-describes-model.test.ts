import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseManifest } from '../../src/artifacts/parse-manifest.js';
import { fixtureCopy, runCli } from './support/cli.js';
import { onnx, writeModel } from './support/onnx-model.js';

const dir = fixtureCopy();
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
/** Reads a written manifest through the runtime's own validation, as `load` would. */
const load = (file: string) => parseManifest(readFileSync(file, 'utf8'), pathToFileURL(file).href);

describe('webinfer manifest describes a model', () => {
  test('writes <id>.manifest.json beside the model, with symbolic dims as strings', async () => {
    const result = await runCli(['manifest', 'mlp.onnx'], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stdout: '' });
    const manifest = load(join(dir, 'mlp.manifest.json'));
    expect(manifest).toMatchObject({ format: 'webinfer/manifest@1', id: 'mlp', version: '1.0.0' });
    expect(manifest.inputs).toEqual([{ name: 'x', type: 'float32', dims: ['batch', 4] }]);
    expect(manifest.outputs).toEqual([{ name: 'logits', type: 'float32', dims: ['batch', 3] }]);
    expect(manifest.files).toHaveLength(1);
    expect(manifest.model).toMatchObject({
      url: pathToFileURL(join(dir, 'mlp.onnx')).href,
      role: 'model',
      bytes: readFileSync(join(dir, 'mlp.onnx')).length,
      sha256: sha256(join(dir, 'mlp.onnx')),
    });
  });

  test('names int64 and bool tensors as the runtime does', async () => {
    const result = await runCli(['manifest', 'int64-bool.onnx', '--out', '-'], { cwd: dir });
    expect(result.code).toBe(0);
    const manifest = parseManifest(result.stdout, pathToFileURL(join(dir, 'int64-bool.manifest.json')).href);
    expect(manifest.inputs).toEqual([
      { name: 'ids', type: 'int64', dims: [1, 'n'] },
      { name: 'mask', type: 'bool', dims: [1, 'n'] },
    ]);
    expect(manifest.outputs.map((o) => o.type)).toEqual(['int64', 'bool']);
    expect(existsSync(join(dir, 'int64-bool.manifest.json'))).toBe(false);
  });

  test('honours --id, --version and --out, with file URLs relative to where the manifest goes', async () => {
    mkdirSync(join(dir, 'published', 'v2'), { recursive: true });
    const out = join('published', 'v2', 'manifest.json');
    const result = await runCli(['manifest', 'mlp.onnx', '--id', 'tiny-mlp', '--version', '2.0.0-rc.1', '--out', out], {
      cwd: dir,
    });
    expect(result.code).toBe(0);
    const text = readFileSync(join(dir, out), 'utf8');
    expect(JSON.parse(text).files[0].url).toBe('../../mlp.onnx');
    const manifest = load(join(dir, out));
    expect(manifest).toMatchObject({ id: 'tiny-mlp', version: '2.0.0-rc.1' });
    expect(manifest.model.url).toBe(pathToFileURL(join(dir, 'mlp.onnx')).href);
  });

  test('derives the id from an awkward file name and percent-encodes its URL', async () => {
    copyFileSync(join(dir, 'mlp.onnx'), join(dir, 'My Model #2.onnx'));
    const result = await runCli(['manifest', 'My Model #2.onnx', '--out', '-'], { cwd: dir });
    expect(result.code).toBe(0);
    const written = JSON.parse(result.stdout);
    expect(written.id).toBe('my-model-2');
    expect(written.files[0].url).toBe('My%20Model%20%232.onnx');
    const manifest = parseManifest(result.stdout, pathToFileURL(join(dir, 'my-model-2.manifest.json')).href);
    expect(manifest.model.path).toBe('My Model #2.onnx');
  });

  test('lists the same model and files as the fixture manifest made by scripts/make-fixtures.mjs', async () => {
    const result = await runCli(['manifest', 'mlp-external.onnx', '--out', '-'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(readFileSync(join(dir, 'mlp-external.manifest.json'), 'utf8')));
  });
});

describe('webinfer manifest on values a manifest must spell out or refuse', () => {
  const { FLOAT, BFLOAT16 } = onnx.TensorProto.DataType;

  test('an unnamed dynamic dim is -1 and an undeclared shape is []', async () => {
    writeModel(join(dir, 'shapes.onnx'), {
      name: 'shapes',
      node: [{ opType: 'Identity', input: ['x'], output: ['y'] }],
      input: [{ name: 'x', type: { tensorType: { elemType: FLOAT, shape: { dim: [{}, { dimValue: 2 }] } } } }],
      output: [{ name: 'y', type: { tensorType: { elemType: FLOAT } } }],
    });
    const result = await runCli(['manifest', 'shapes.onnx', '--out', '-'], { cwd: dir });
    expect(result.code).toBe(0);
    const manifest = parseManifest(result.stdout, pathToFileURL(join(dir, 'shapes.manifest.json')).href);
    expect(manifest.inputs).toEqual([{ name: 'x', type: 'float32', dims: [-1, 2] }]);
    expect(manifest.outputs).toEqual([{ name: 'y', type: 'float32', dims: [] }]);
  });

  test.each([
    ['a bfloat16 input', { tensorType: { elemType: BFLOAT16 } }, 'has ONNX type BFLOAT16, which webinfer cannot feed or read'],
    ['a sequence input', { sequenceType: { elemType: { tensorType: { elemType: FLOAT } } } }, 'is a sequence'],
  ])('%s fails with one line naming the input, exit code 1', async (_, type, why) => {
    writeModel(join(dir, 'odd.onnx'), {
      name: 'odd',
      node: [{ opType: 'Identity', input: ['x'], output: ['y'] }],
      input: [{ name: 'x', type }],
      output: [{ name: 'y', type: { tensorType: { elemType: FLOAT } } }],
    });
    const result = await runCli(['manifest', 'odd.onnx'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^webinfer manifest: odd\\.onnx: input "x" ${why}[^\\n]*\\n$`));
  });
});
