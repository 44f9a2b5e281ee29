import { afterEach, expect, test, vi } from 'vitest';
import { openStore } from '../../src/artifacts/store/open-store.js';
import { StorageError } from '../../src/errors.js';

/** RELIABILITY.md 5 and 6 with the faults injected in place of IndexedDB. */
afterEach(() => vi.unstubAllGlobals());

async function refusal(promise: Promise<unknown>): Promise<StorageError> {
  const error = await promise.catch((e: unknown) => e);
  if (error instanceof StorageError) return error;
  throw new Error(`expected a StorageError, got ${String(error)}`);
}

test('5: no indexedDB at all: storage-unavailable, at once', async () => {
  vi.stubGlobal('indexedDB', undefined);
  expect((await refusal(openStore())).code).toBe('storage-unavailable');
});

test('5: open() throws: storage-unavailable naming the cause', async () => {
  vi.stubGlobal('indexedDB', {
    open: () => {
      throw new DOMException('The user denied permission', 'SecurityError');
    },
  });
  const error = await refusal(openStore());
  expect(error.code).toBe('storage-unavailable');
  expect(error.message).toContain('denied permission');
});

test('6: an open that never settles times out with a typed error instead of hanging', async () => {
  // A request whose success, error and blocked events never fire (idb recognises it by class).
  class NeverSettles extends EventTarget {}
  vi.stubGlobal('IDBRequest', NeverSettles);
  vi.stubGlobal('indexedDB', { open: () => new NeverSettles() });
  const started = Date.now();
  const error = await refusal(openStore({ timeoutMs: 50 }));
  expect(error.code).toBe('storage-unavailable');
  expect(error.message).toContain('did not open within 50 ms');
  expect(Date.now() - started).toBeLessThan(2_000);
});
