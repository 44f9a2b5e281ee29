import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseManifest } from '../../src/artifacts/parse-manifest.js';
import { fixtureCopy, runCli } from './support/cli.js';
import { writeExternalDataModel } from './support/onnx-model.js';

const dir = fixtureCopy();
const parse = (text: string, manifestFile: string) => parseManifest(text, pathToFileURL(join(dir, manifestFile)).href);

describe('webinfer manifest lists external data', () => {
  test('finds the external-data file of mlp-external.onnx, with its size and SHA-256', async () => {
    const result = await runCli(['manifest', 'mlp-external.onnx', '--out', '-'], { cwd: dir });
    expect(result.code).toBe(0);
    const manifest = parse(result.stdout, 'mlp-external.manifest.json');
    const weights = readFileSync(join(dir, 'mlp-external.weights'));
    expect(manifest.files).toHaveLength(2);
    expect(manifest.files[1]).toEqual({
      url: pathToFileURL(join(dir, 'mlp-external.weights')).href,
      role: 'external-data',
      path: 'mlp-external.weights',
      bytes: weights.length,
      sha256: createHash('sha256').update(weights).digest('hex'),
    });
  });

  test('hashes a file over 32 MiB as a stream, with progress on stderr, and finds Constant-node data', async () => {
    const bigBytes = 40 * 1024 * 1024;
    // A sparse file: 40 MiB of zeros that take no disk space.
    writeFileSync(join(dir, 'big.bin'), '');
    truncateSync(join(dir, 'big.bin'), bigBytes);
    mkdirSync(join(dir, 'weights'));
    writeFileSync(join(dir, 'weights', 'c.bin'), Buffer.from(new Float32Array([1, 2, 3]).buffer));
    writeExternalDataModel(join(dir, 'big.onnx'), {
      initializer: { location: 'big.bin', bytes: bigBytes },
      constant: { location: 'weights/c.bin', bytes: 12 },
    });

    const result = await runCli(['manifest', 'big.onnx', '--out', '-'], { cwd: dir });
    expect(result.stderr).toContain('Hashing big.bin');
    expect(result.stderr).toContain('40.0 MiB');
    expect(result.stderr).not.toContain('Hashing c.bin');
    expect(result.code).toBe(0);
    const manifest = parse(result.stdout, 'big.manifest.json');
    const zeros = createHash('sha256').update(Buffer.alloc(bigBytes)).digest('hex');
    expect(manifest.files.slice(1).map(({ role, bytes, sha256, path }) => ({ role, bytes, sha256, path }))).toEqual([
      { role: 'external-data', bytes: bigBytes, sha256: zeros, path: 'big.bin' },
      {
        role: 'external-data',
        bytes: 12,
        sha256: createHash('sha256')
          .update(readFileSync(join(dir, 'weights', 'c.bin')))
          .digest('hex'),
        path: 'weights/c.bin',
      },
    ]);
    // The initializer W is listed among the graph inputs too (as old exporters did); it is no feed.
    expect(manifest.inputs.map((input) => input.name)).toEqual(['x']);
  });

  test('a file past 2 GiB is listed, with a warning up front on splitting it', async () => {
    const hugeBytes = 2 ** 31 + 4;
    writeFileSync(join(dir, 'huge.bin'), '');
    truncateSync(join(dir, 'huge.bin'), hugeBytes); // sparse: no disk used
    writeFileSync(join(dir, 'small.bin'), Buffer.alloc(12));
    writeExternalDataModel(join(dir, 'huge.onnx'), {
      initializer: { location: 'huge.bin', bytes: 4 },
      constant: { location: 'small.bin', bytes: 12 },
    });
    const result = await runCli(['manifest', 'huge.onnx', '--out', '-'], { cwd: dir });
    expect(result.code).toBe(0);
    const warning = result.stderr.indexOf('Warning: huge.bin is 2.00 GiB');
    expect(warning).toBeGreaterThanOrEqual(0);
    expect(warning).toBeLessThan(result.stderr.indexOf('Hashing huge.bin'));
    expect(result.stderr).toContain('several external-data files of under 2 GiB');
    expect(parse(result.stdout, 'huge.manifest.json').files[1]).toMatchObject({ bytes: hugeBytes });
  }, 120_000);

  test('a missing external-data file fails with one line naming it, exit code 1', async () => {
    renameSync(join(dir, 'mlp-external.weights'), join(dir, 'moved.weights'));
    try {
      const result = await runCli(['manifest', 'mlp-external.onnx'], { cwd: dir });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([
        `webinfer manifest: mlp-external.onnx references external data "mlp-external.weights", which cannot be read: no such file: ${join(dir, 'mlp-external.weights')}`,
      ]);
    } finally {
      renameSync(join(dir, 'moved.weights'), join(dir, 'mlp-external.weights'));
    }
  });
});
