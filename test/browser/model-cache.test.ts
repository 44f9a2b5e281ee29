import { openDB } from 'idb';
import { afterAll, beforeEach, describe, expect, inject, test } from 'vitest';
import { createRuntime } from '../../src/index.js';
import { models } from '../support/browser/models.js';

/**
 * Verified files live in IndexedDB: a second load reads them instead of the network, a load with
 * the server unreachable still works, rt.cache lists, measures and deletes, and a corrupted
 * chunk is caught by its hash, purged and fetched again.
 */
const server = inject('faultServer');
const rt = createRuntime({ backends: ['wasm'], download: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20, stallMs: 2_000 } });
afterAll(() => rt.close());

interface Logged {
  range: string | null;
  status: number;
}
let nextId = 0;
const site = () => `c${Date.now()}-${nextId++}`;
const manifestUrl = (id: string) => `${server}/s/${id}/ok/0/mlp.manifest.json`;
const requested = async (id: string) => ((await (await fetch(`${server}/log/${id}`)).json()) as Logged[]).length;

beforeEach(async () => {
  for (const cached of await rt.cache.list()) await rt.cache.delete(cached.id);
});

describe('the model cache', () => {
  test('a second load reads the files from the cache: only the manifest is asked for', async () => {
    const id = site();
    const first = await rt.load(manifestUrl(id));
    expect(first.info.cache).toEqual({ state: 'stored' });
    expect(await requested(id)).toBe(2);
    const second = await rt.load(manifestUrl(id));
    expect(second.info.cache).toEqual({ state: 'hit' });
    expect(await requested(id)).toBe(3);
  });

  test('with the server unreachable, the cached manifest and files still load and run', async () => {
    const id = site();
    await rt.load(manifestUrl(id));
    await fetch(`${server}/down/${id}`);
    const started = performance.now();
    const model = await rt.load(manifestUrl(id));
    expect(model.info).toMatchObject({ id: 'mlp', version: '1.0.0', cache: { state: 'hit' } });
    // One try at the manifest, no retry budget spent: the cached copy answers at once.
    expect(performance.now() - started).toBeLessThan(5_000);
    const out = await model.run({ x: { type: 'float32', data: new Float32Array(4), dims: [1, 4] } });
    expect(out.logits?.dims).toEqual([1, 3]);
  });

  test('rt.cache lists, measures and deletes; a deleted model is downloaded again', async () => {
    const id = site();
    await rt.load(manifestUrl(id));
    expect(await rt.cache.list()).toEqual([
      expect.objectContaining({ id: 'mlp', version: '1.0.0', bytes: 523, manifestUrl: manifestUrl(id) }),
    ]);
    const usage = await rt.cache.usage();
    expect(usage.runtimeBytes).toBeGreaterThan(1_000_000); // onnxruntime-web's .wasm
    expect(usage.bytes).toBe(523 + usage.runtimeBytes);
    expect(usage.origin?.quota).toBeGreaterThan(0);
    expect(await rt.cache.delete('mlp')).toBe(1);
    expect(await rt.cache.list()).toEqual([]);
    expect((await rt.cache.usage()).bytes).toBe(usage.runtimeBytes);
    expect((await rt.load(manifestUrl(id))).info.cache).toEqual({ state: 'stored' });
    expect(await requested(id)).toBe(4);
  });

  test('a corrupted chunk is caught by its hash, purged, and the file fetched again', async () => {
    const id = site();
    await rt.load(manifestUrl(id));
    const db = await openDB('webinfer');
    const { files } = (await (await fetch(models.mlpManifest)).json()) as { files: { sha256: string }[] };
    const chunk = (await db.getAll('chunks')).find((c) => c.sha256 === files[0]?.sha256);
    const bytes = new Uint8Array(await (chunk.data as Blob).arrayBuffer());
    bytes[10] = (bytes[10] ?? 0) ^ 0xff;
    await db.put('chunks', { ...chunk, data: new Blob([bytes]) });
    db.close();
    const model = await rt.load(manifestUrl(id));
    expect(model.info.cache).toEqual({ state: 'stored' });
    expect(await requested(id)).toBe(4);
    expect((await rt.load(manifestUrl(id))).info.cache).toEqual({ state: 'hit' });
  });

  test('cache: false and bare URLs say why nothing was cached', async () => {
    const off = createRuntime({ backends: ['wasm'], cache: false });
    expect((await off.load(manifestUrl(site()))).info.cache).toMatchObject({
      state: 'not-cached',
      reason: expect.stringContaining('cache: false'),
    });
    await off.close();
    expect((await rt.load(models.mlp)).info.cache).toMatchObject({
      state: 'not-cached',
      reason: expect.stringContaining('bare URL'),
    });
  });
});
