import { afterEach, beforeEach, expect, inject, test } from 'vitest';
import { ModelStore } from '../../src/artifacts/store/model-store.js';
import { openStore } from '../../src/artifacts/store/open-store.js';
import type { RuntimeFileRecord } from '../../src/artifacts/store/schema.js';
import { createRuntime } from '../../src/index.js';
import { cacheOrtBinaries } from '../../src/session/ort-file-cache.js';
import { probeWebGpu } from '../../src/session/webgpu-probe.js';
import { describeFile, manifestDataUrl, singleFileManifest } from '../support/browser/manifests.js';
import { models } from '../support/browser/models.js';

/**
 * onnxruntime-web's `.wasm` (14 MB) is kept in the model cache as it is fetched. From a server
 * that sends no ETag or Last-Modified, every visit fetches it again, and only its bytes can say
 * whether it is the copy stored: an XXH64 of them, kept beside the record, says so at memory
 * speed, where a SHA-256 held the worker 0.17–0.24 s on every warm start. The real IndexedDB
 * and the fault server's real `no-validator` responses; the runtime records the other tests'
 * workers stored are put back after.
 */
const server = inject('faultServer');
const network = globalThis.fetch;
const subtle = globalThis.crypto.subtle;
const digest = subtle.digest;
let sha256Calls = 0;
let before: RuntimeFileRecord[] = [];

/** The cache's database, opened (and upgraded) as webinfer opens it, and closed after `use`. */
async function withDatabase<T>(use: (db: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
  const db = await openStore();
  try {
    return await use(db);
  } finally {
    db.close();
  }
}

beforeEach(async () => {
  before = await withDatabase((db) => db.getAll('runtime'));
  sha256Calls = 0;
  subtle.digest = function (this: SubtleCrypto, ...args: Parameters<SubtleCrypto['digest']>) {
    sha256Calls++;
    return digest.apply(this, args);
  };
});

afterEach(async () => {
  globalThis.fetch = network;
  delete (subtle as Partial<SubtleCrypto>).digest; // the prototype's again
  await withDatabase(async (db) => {
    await db.clear('runtime');
    for (const record of before) await db.put('runtime', record);
  });
});

/** Fetches `url` through the cache's wrapped fetch, as onnxruntime-web does, and waits for it to be kept. */
async function visit(store: ModelStore, url: string): Promise<Uint8Array> {
  const cache = cacheOrtBinaries(
    () => store,
    async () => undefined,
  );
  try {
    const bytes = new Uint8Array(await (await globalThis.fetch(url)).arrayBuffer());
    await cache.settled();
    return bytes;
  } finally {
    globalThis.fetch = network;
  }
}

async function sha256Of(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const hash = new Uint8Array(await digest.call(subtle, 'SHA-256', bytes));
  return Array.from(hash, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

test('from a server without validators, the same bytes again are told apart by XXH64, not hashed with SHA-256', async () => {
  const store = new ModelStore();
  const url = `${server}/s/ort-${Date.now()}/no-validator/0/ort-wasm-simd-threaded.wasm`;
  const response = await network(url);
  expect([response.headers.get('etag'), response.headers.get('last-modified')]).toEqual([null, null]);
  const expected = await sha256Of(new Uint8Array(await response.arrayBuffer()));

  const served = await visit(store, url);
  expect(sha256Calls).toBe(1);
  const stored = await store.getRuntimeFile(url);
  expect(stored).toMatchObject({
    sha256: expected,
    bytes: served.byteLength,
    validator: null,
    xxh64: expect.stringMatching(/^[0-9a-f]{16}$/),
  });

  sha256Calls = 0;
  await visit(store, url);
  expect(sha256Calls).toBe(0);
  expect(await store.getRuntimeFile(url)).toEqual(stored);
  // What a visit offline is answered with (toEqual on 14 MB would take minutes).
  const kept = await store.readFile(expected, served.byteLength);
  expect(kept && (await sha256Of(kept))).toBe(expected);
});

test('a record from before XXH64 was kept is checked with SHA-256 once, and keeps an XXH64 after', async () => {
  const store = new ModelStore();
  const url = `${server}/s/ort-old-${Date.now()}/no-validator/0/ort-wasm-simd-threaded.wasm`;
  await visit(store, url);
  const { xxh64, ...old } = (await store.getRuntimeFile(url)) as RuntimeFileRecord;
  await store.putRuntimeFile(old);

  sha256Calls = 0;
  await visit(store, url);
  expect(sha256Calls).toBe(1);
  expect(await store.getRuntimeFile(url)).toEqual({ ...old, xxh64 });

  sha256Calls = 0;
  await visit(store, url);
  expect(sha256Calls).toBe(0);
});

/** The binaries the cache holds whole, by URL: what a visit offline could start from. */
async function storedBinaries(): Promise<string[]> {
  const records = await withDatabase((db) => db.getAll('runtime'));
  const missing = new Set(await new ModelStore().missingFiles(records));
  return records.filter((record) => !missing.has(record)).map((record) => record.url);
}

/** No binary stored, as on a first visit (the records from before are put back after the test). */
const forgetBinaries = () => withDatabase((db) => db.clear('runtime'));

/**
 * The binary is stored in the background once the load is over (0.3–0.45 s for 14 MB here); a
 * worker ended before that left the next visit offline without a runtime to start.
 */
test('a runtime closed right after its first load has stored the binary first', async () => {
  await forgetBinaries();
  const rt = createRuntime({ backends: ['wasm'] });
  await rt.load(models.mlpManifest);
  await rt.close();
  expect(await storedBinaries()).toEqual([expect.stringMatching(/\/ort-wasm[\w.-]*\.wasm$/)]);
});

test('a model in its own worker, disposed right after its load: its worker ends once the binary is stored', async () => {
  await forgetBinaries();
  const rt = createRuntime({ backends: ['wasm'] });
  try {
    await (await rt.load(models.mlpManifest, { ownWorker: true })).dispose();
    await expect.poll(storedBinaries, { timeout: 10_000 }).toHaveLength(1);
  } finally {
    await rt.close();
  }
});

/**
 * A warm start compiles onnxruntime-web's wasm build beside the cache read, when the build the
 * load chose may run on wasm. A build that needs WebGPU features runs on WebGPU only: warming
 * wasm for it was a 14 MB fetch and a compile for nothing, seen here as the wasm binary stored.
 */
test('a warm start of a build that needs WebGPU does not start the wasm runtime, whatever the backends order', async () => {
  const support = await probeWebGpu();
  const feature = 'features' in support ? [...support.features].find((name) => /^[a-z0-9-]+$/.test(name)) : undefined;
  expect(feature, 'precondition: the adapter has a feature to require').toBeDefined();
  const url = new URL(models.mlp, location.href).href;
  const file = { url, role: 'model', ...(await describeFile(url)) };
  const manifest = manifestDataUrl({
    ...singleFileManifest(`needs-gpu-${Date.now()}`, '1', url, file),
    variants: [{ name: 'gpu', precision: 'float32', requires: [feature], files: [file] }],
  });
  await forgetBinaries();
  for (const start of ['download', 'warm start']) {
    const rt = createRuntime({ backends: ['wasm', 'webgpu'] });
    const model = await rt.load(manifest, { variant: 'gpu' });
    expect([start, model.info.backend]).toEqual([start, 'webgpu']);
    await rt.cache.usage(); // answers once the binaries fetched so far are stored
    await rt.close();
  }
  // The WebGPU build's binary alone, not the wasm build's (`ort-wasm-simd-threaded.wasm`).
  const stored = await storedBinaries();
  expect(stored).toHaveLength(1);
  expect(stored[0]).not.toMatch(/\/ort-wasm-simd-threaded\.wasm$/);
});
