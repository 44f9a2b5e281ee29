import { afterEach, describe, expect, test, vi } from 'vitest';
import { CacheSession } from '../../src/artifacts/store/cache-session.js';
import type { ModelStore } from '../../src/artifacts/store/model-store.js';
import { StorageError } from '../../src/errors.js';

/**
 * RELIABILITY.md 1, 2 and 4 with the faults injected: a store and `navigator.storage.estimate()`
 * that say what the test needs. (A DevTools quota override did not reach estimate() in the test
 * browser, so these run in Node.)
 */
afterEach(() => vi.unstubAllGlobals());

const file = { sha256: 'a'.repeat(64), bytes: 1_000_000 };
const quotaError = () => new StorageError('quota-exceeded', 'Storing 1000000 bytes exceeds the quota');

function fakeStore(overrides: Partial<Record<keyof ModelStore, unknown>>) {
  const store = {
    missingFiles: async (files: unknown[]) => files,
    readFile: async () => undefined,
    file: async () => undefined,
    purge: vi.fn(async () => undefined),
    evict: vi.fn(async () => 0),
    putChunk: vi.fn(async () => undefined),
    ...overrides,
  };
  return { store: store as unknown as ModelStore };
}

function estimates(...values: { usage: number; quota: number }[]) {
  const estimate = vi.fn(async () => values.shift() ?? values.at(-1));
  vi.stubGlobal('navigator', { storage: { estimate } });
  return estimate;
}

describe('quota', () => {
  test('preflight: files that do not fit evict unused models, then the load goes uncached with the figures', async () => {
    estimates({ usage: 900_000, quota: 1_000_000 }, { usage: 800_000, quota: 1_000_000 });
    const { store } = fakeStore({ evict: vi.fn(async () => 100_000) });
    const keep = (m: { id: string }) => m.id === 'in-use';
    const cache = new CacheSession(store, { inUse: keep });
    expect(await cache.preflight([file])).toBeUndefined(); // the cache is off for this load now
    expect(store.evict).toHaveBeenCalledWith(900_000, keep);
    expect(cache.status()).toEqual({
      state: 'not-cached',
      reason: 'quota exceeded: 1000000 bytes do not fit (800000 of 1000000 bytes used) even after evicting unused models',
    });
  });

  test('preflight: files already stored need no room, and no estimate', async () => {
    const estimate = estimates({ usage: 999_999, quota: 1_000_000 });
    const { store } = fakeStore({ missingFiles: async () => [] });
    const cache = new CacheSession(store);
    expect(await cache.preflight([file])).toBe(0); // a warm start: every file is in the cache
    expect(store.evict).not.toHaveBeenCalled();
    expect(estimate).not.toHaveBeenCalled();
    expect(cache.status().reason).not.toMatch(/quota/);
  });

  /** Downloads 8 bytes into the cache's body, as `fetchVerified` does, and commits them. */
  async function store8(cache: CacheSession) {
    await cache.read(file.sha256); // a miss, as before a download
    const body = await cache.body(file.sha256, 8);
    await body.add(new Uint8Array(8));
    await body.finish();
    await body.commit();
    await body.close();
  }

  test('a write refused for quota evicts and is tried once more', async () => {
    const putChunk = vi.fn().mockRejectedValueOnce(quotaError()).mockResolvedValueOnce(undefined);
    const { store } = fakeStore({ putChunk, evict: vi.fn(async () => 2_000_000) });
    const cache = new CacheSession(store);
    await store8(cache);
    expect(putChunk).toHaveBeenCalledTimes(2);
    expect(putChunk).toHaveBeenLastCalledWith(expect.objectContaining({ complete: true, bytes: 8 }), 0, {
      data: expect.any(Blob),
      xxh64: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(cache.status()).toEqual({ state: 'stored' });
  });

  test('a write refused for quota with nothing to evict leaves the load uncached, not failed', async () => {
    const { store } = fakeStore({ putChunk: vi.fn(async () => Promise.reject(quotaError())) });
    const cache = new CacheSession(store);
    await expect(store8(cache)).resolves.toBeUndefined();
    expect(store.putChunk).toHaveBeenCalledTimes(1);
    expect(store.purge).toHaveBeenCalledWith(file.sha256);
    expect(cache.status()).toMatchObject({ state: 'not-cached', reason: expect.stringContaining('exceeds the quota') });
  });

  test('memoryFallback: false fails the load with the quota error instead', async () => {
    const { store } = fakeStore({ putChunk: vi.fn(async () => Promise.reject(quotaError())) });
    const cache = new CacheSession(store, { memoryFallback: false });
    await expect(store8(cache)).rejects.toMatchObject({ name: 'StorageError', code: 'quota-exceeded' });
  });

  test('memoryFallback: false fails a load whose preflight finds no room', async () => {
    estimates({ usage: 900_000, quota: 1_000_000 }, { usage: 900_000, quota: 1_000_000 });
    const { store } = fakeStore({});
    const cache = new CacheSession(store, { memoryFallback: false });
    await expect(cache.preflight([file])).rejects.toMatchObject({
      code: 'quota-exceeded',
      details: { needed: 1_000_000, usage: 900_000, quota: 1_000_000 },
    });
  });

  test('4: estimate() missing or throwing skips the preflight; the download goes on', async () => {
    vi.stubGlobal('navigator', { storage: { estimate: async () => Promise.reject(new Error('no')) } });
    const { store } = fakeStore({});
    const cache = new CacheSession(store);
    await cache.preflight([file]);
    vi.stubGlobal('navigator', {});
    await cache.preflight([file]);
    expect(store.evict).not.toHaveBeenCalled();
    expect(cache.status().reason ?? '').not.toMatch(/quota/);
  });
});
