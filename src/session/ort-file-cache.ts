import { xxhash64 } from 'hash-wasm';
import { sha256Hex } from '../artifacts/sha256.js';
import type { ModelStore } from '../artifacts/store/model-store.js';
import { defaultChunkBytes } from '../artifacts/store/schema.js';
import { StoredBody } from '../artifacts/store/stored-body.js';

/** onnxruntime-web's binaries, whatever build and content hash the app's bundler gave them. */
const ortBinary = /\/ort-wasm[\w.-]*\.wasm$/;

/**
 * Keeps onnxruntime-web's `.wasm` in the model cache, so that a model loads with the network
 * off after one visit. onnxruntime-web fetches its binary itself, from a URL its bundled code
 * computes (`new URL(..., import.meta.url)`, rewritten by the app's bundler), so this worker's
 * `fetch` is wrapped for that one kind of URL: the network answers first (the browser's HTTP
 * cache and code cache keep working, and the bytes are stored once per URL); when it fails or
 * answers an error, the stored bytes answer, verified by their SHA-256. Installed once per worker.
 * Storing happens once no load is going on (`quiet`); `settled()` waits for it, so that usage
 * figures are whole.
 */
export function cacheOrtBinaries(store: () => ModelStore, quiet: () => Promise<void>): { settled(): Promise<void> } {
  const network = globalThis.fetch.bind(globalThis);
  let storing: Promise<void> = Promise.resolve();
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input, globalThis.location?.href).href;
    if (!ortBinary.test(new URL(url).pathname)) return network(input, init);
    let response: Response | undefined;
    try {
      response = await network(input, init);
      if (response.ok) {
        const stored = remember(store(), url, response.clone(), quiet).catch(() => undefined);
        storing = Promise.all([storing, stored]).then(() => undefined);
        return response;
      }
    } catch (error) {
      const cached = await recall(store(), url);
      if (!cached) throw error;
      return cached;
    }
    return (await recall(store(), url)) ?? response;
  };
  return { settled: () => storing };
}

async function remember(store: ModelStore, url: string, response: Response, quiet: () => Promise<void>): Promise<void> {
  // Every worker's first session fetches the binary: when the server vouches it is the copy
  // already stored (same strong validator), it is not read and hashed again.
  const validator = response.headers.get('etag') ?? response.headers.get('last-modified');
  const known = await store.getRuntimeFile(url);
  if (validator && known?.validator === validator && (await store.hasFile(known.sha256))) {
    await response.body?.cancel();
    return;
  }
  // Reading, hashing and storing 14 MB held this thread 0.3–0.45 s just as the session was
  // made, and the load's last step waited for it: a warm start 0.5–0.8 s longer (P1). Not while
  // a load goes on, then; the body waits, buffered.
  await quiet();
  const bytes = new Uint8Array(await response.arrayBuffer());
  // A server that sends no validator sends the same bytes on every visit, most often: compared
  // by XXH64 (1.5 ms for 14 MB), they skip a SHA-256 that held the worker 0.17–0.24 s each time.
  const xxh64 = await xxhash64(bytes);
  const same = known?.xxh64 === xxh64 && known.bytes === bytes.byteLength;
  const sha256 = same ? known.sha256 : await sha256Hex(bytes);
  if (known?.sha256 === sha256 && (await store.hasFile(sha256))) return store.putRuntimeFile({ ...known, validator, xxh64 });
  const body = await StoredBody.open({
    store,
    sha256,
    expectedBytes: bytes.byteLength,
    chunkBytes: defaultChunkBytes,
    hashed: true,
    makeRoom: async () => false,
    onFailure: async (error) => {
      throw error;
    },
  });
  try {
    await body.add(bytes);
    await body.finish();
    await body.commit();
  } finally {
    await body.close();
  }
  await store.putRuntimeFile({ url, sha256, bytes: bytes.byteLength, validator, xxh64, storedAt: Date.now() });
}

async function recall(store: ModelStore, url: string): Promise<Response | undefined> {
  const record = await store.getRuntimeFile(url).catch(() => undefined);
  const bytes = record && (await store.readFile(record.sha256, record.bytes).catch(() => undefined));
  return bytes && new Response(bytes, { headers: { 'Content-Type': 'application/wasm' } });
}
