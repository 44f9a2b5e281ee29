import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseManifest } from '../../src/artifacts/parse-manifest.js';
import { fixtureCopy, runCli } from './support/cli.js';

const dir = fixtureCopy();

describe('webinfer manifest --variant', () => {
  test('lists other builds, their precision read from their weights; the runtime reads them back', async () => {
    const result = await runCli(['manifest', 'mlp.onnx', '--variant', 'fp16=mlp-fp16.onnx', '--out', 'built.manifest.json'], {
      cwd: dir,
    });
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toMatch(/\(2 files, /);
    const text = readFileSync(join(dir, 'built.manifest.json'), 'utf8');
    const written = JSON.parse(text);
    // The top-level files are float32, so no `precision`; the fp16 build's I/O equals the base's.
    expect(written.precision).toBeUndefined();
    expect(written.variants).toEqual([
      {
        name: 'fp16',
        precision: 'float16',
        files: [expect.objectContaining({ url: 'mlp-fp16.onnx', role: 'model', bytes: 520 })],
      },
    ]);
    // Byte for byte what the fixture script writes for the same two files.
    const fixture = JSON.parse(readFileSync(join(dir, 'mlp-variants.manifest.json'), 'utf8'));
    expect(written.variants).toEqual(fixture.variants);
    const manifest = parseManifest(text, pathToFileURL(join(dir, 'built.manifest.json')).href);
    expect(manifest.variants.map((v) => [v.name, v.precision, v.needs])).toEqual([
      ['default', 'float32', []],
      ['fp16', 'float16', ['shader-f16']],
    ]);
  });

  test('a float16 model as the main file is written with its precision', async () => {
    const result = await runCli(['manifest', 'mlp-fp16.onnx', '--variant', 'fp32=mlp.onnx', '--out', '-'], { cwd: dir });
    expect(result.code).toBe(0);
    const written = JSON.parse(result.stdout);
    expect(written.precision).toBe('float16');
    expect(written.variants[0]).toMatchObject({ name: 'fp32', precision: 'float32' });
  });

  test.each([
    [['--variant', 'fp16'], '--variant "fp16" must be NAME=FILE'],
    [['--variant', 'default=mlp-fp16.onnx'], 'a --variant name must be'],
    [['--variant', 'a=mlp.onnx', '--variant', 'a=mlp-fp16.onnx'], 'each --variant needs a name of its own'],
  ])('%j is a usage error, before any hashing', async (flags, message) => {
    const result = await runCli(['manifest', 'mlp.onnx', '--out', '-', ...flags], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  test('a variant file that is not there fails naming it', async () => {
    const result = await runCli(['manifest', 'mlp.onnx', '--variant', 'q8=missing.onnx', '--out', '-'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('missing.onnx');
  });
});
