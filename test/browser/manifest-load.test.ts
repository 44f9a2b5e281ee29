import { afterAll, describe, expect, test } from 'vitest';
import { createRuntime, FetchError, IntegrityError, type LoadProgress, ManifestError, type Model } from '../../src/index.js';
import { manifestDataUrl } from '../support/browser/manifests.js';
import { models } from '../support/browser/models.js';
import { bytesOf, randomFloats, seededRandom } from '../support/browser/tensors.js';

/** Models named by a webinfer/manifest@1: verified by size and SHA-256 before any session exists. */
const rt = createRuntime({ backends: ['wasm'] });
afterAll(() => rt.close());

const abs = (url: string) => new URL(url, location.href).href;
const manifest = async (url: string) =>
  (await (await fetch(url)).json()) as { files: Record<string, unknown>[] } & Record<string, unknown>;
const x = () => ({ x: { type: 'float32', data: randomFloats(seededRandom(2), 8), dims: [2, 4] } }) as const;

async function sameResults(a: Model, b: Model) {
  expect(bytesOf((await a.run(x())).logits)).toEqual(bytesOf((await b.run(x())).logits));
}

describe('loading from a manifest', () => {
  test('id and version come from the manifest; results equal the bare file', async () => {
    const events: LoadProgress[] = [];
    const model = await rt.load(models.mlpManifest, { onProgress: (p) => events.push(p) });
    expect(model.info).toMatchObject({ id: 'mlp', version: '1.0.0', url: abs(models.mlpManifest), bytes: 523 });
    // The manifest's sizes are the total, whatever Content-Length says.
    expect(events.filter((e) => e.stage === 'downloading').every((e) => e.total === 523)).toBe(true);
    await sameResults(model, await rt.load(models.mlp));
  });

  test('a model with external data loads and gives the same results', async () => {
    const model = await rt.load(models.mlpExternalManifest);
    expect(model.info).toMatchObject({ id: 'mlp-external', bytes: 504 + 268 });
    await sameResults(model, await rt.load(models.mlp));
  });

  test('a file whose hash differs from the manifest is refused with integrity-mismatch after one retry', async () => {
    const good = await manifest(models.mlpManifest);
    const lying = { ...good, files: [{ ...good.files[0], url: abs(models.mlp), sha256: 'f'.repeat(64) }] };
    const error = await rt.load(manifestDataUrl(lying)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrityError);
    expect(error).toMatchObject({
      code: 'integrity-mismatch',
      details: { url: abs(models.mlp), expected: 'f'.repeat(64), attempts: 2 },
    });
  });

  test('a file whose size differs from the manifest is refused', async () => {
    const good = await manifest(models.mlpManifest);
    const lying = { ...good, files: [{ ...good.files[0], url: abs(models.mlp), bytes: 524 }] };
    const error = await rt.load(manifestDataUrl(lying)).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'IntegrityError',
      code: 'integrity-mismatch',
      details: { expectedBytes: 524, actualBytes: 523 },
    });
  });

  test('a malformed manifest is refused naming the manifest and the field', async () => {
    const good = await manifest(models.mlpManifest);
    const url = manifestDataUrl({ ...good, version: 7 });
    const error = await rt.load(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManifestError);
    expect(error).toMatchObject({ code: 'manifest-invalid', details: { url, field: 'version' } });
  });

  test('a manifest URL that serves HTML is refused as not a manifest', async () => {
    const error = await rt.load(location.href).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchError);
    expect(error).toMatchObject({ code: 'not-a-model', details: { expected: 'a manifest' } });
  });
});

describe('loading one file with its SHA-256', () => {
  test('a matching hash loads; the version is the hash prefix', async () => {
    const { files } = await manifest(models.mlpManifest);
    const sha256 = files[0]?.sha256 as string;
    const model = await rt.load({ url: models.mlp, sha256 });
    expect(model.info).toMatchObject({ id: 'mlp', version: sha256.slice(0, 12) });
  });

  test('a different hash is refused with integrity-mismatch', async () => {
    const error = await rt.load({ url: models.mlp, sha256: '0'.repeat(64) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'IntegrityError', code: 'integrity-mismatch' });
  });

  test('a hash that is not 64 hex digits is refused before anything is fetched', async () => {
    await expect(rt.load({ url: models.mlp, sha256: 'abc' })).rejects.toMatchObject({
      name: 'StateError',
      code: 'invalid-options',
    });
  });
});
