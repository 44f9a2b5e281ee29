import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { createSHA256 } from 'hash-wasm';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { ModelStore } from '../../src/artifacts/store/model-store.js';
import type { StoreDatabase } from '../../src/artifacts/store/open-store.js';
import { StoredBody } from '../../src/artifacts/store/stored-body.js';

/**
 * The store and the streaming body over fake-indexeddb, a spec-complete IndexedDB in memory:
 * chunks are stored as they arrive, an interrupted download resumes from what was stored, and
 * only a committed file reads as complete (RELIABILITY.md 3, 11, 12, 19).
 */
const chunkBytes = 1024;
const file = Uint8Array.from({ length: 3 * chunkBytes + 100 }, (_, i) => (i * 7) % 251);
let sha256: string;
let store: ModelStore;

beforeEach(async () => {
  vi.stubGlobal('indexedDB', new IDBFactory());
  const hasher = await createSHA256();
  sha256 = hasher.update(file).digest('hex');
  store = new ModelStore();
});

const open = (expectedBytes: number | undefined = file.byteLength) =>
  StoredBody.open({
    store,
    sha256,
    chunkBytes,
    ...(expectedBytes === undefined ? {} : { expectedBytes }),
    makeRoom: async () => false,
    onFailure: async (error) => {
      throw error;
    },
  });

/** Feeds `bytes` in pieces of `piece` bytes, honouring backpressure, as `fetchBytes` does. */
async function feed(body: StoredBody, bytes: Uint8Array, piece = 300) {
  for (let offset = 0; offset < bytes.byteLength; offset += piece) await body.add(bytes.subarray(offset, offset + piece));
}

describe('a stored body', () => {
  test('stores each whole chunk as it arrives; the file is complete only once committed', async () => {
    const body = await open();
    body.validator = '"v1"';
    await feed(body, file.subarray(0, 2 * chunkBytes + 10));
    await body.close();
    expect(await store.file(sha256)).toMatchObject({ complete: false, chunks: 2, bytes: 2 * chunkBytes, validator: '"v1"' });
    expect(await store.readFile(sha256)).toBeUndefined();
    await feed(body, file.subarray(2 * chunkBytes + 10));
    const { bytes, sha256: hash } = await body.finish();
    expect(hash).toBe(sha256);
    expect(bytes).toEqual(file);
    await body.commit();
    expect(await store.file(sha256)).toMatchObject({ complete: true, chunks: 4, bytes: file.byteLength });
    expect(await store.readFile(sha256, file.byteLength)).toEqual(file);
  });

  test('a later body resumes from the stored chunks, with their validator, and hashes them too', async () => {
    const first = await open();
    first.validator = '"v1"';
    await feed(first, file.subarray(0, 2 * chunkBytes + 500));
    await first.close(); // the tab closed mid-download

    const second = await open();
    expect(second.length).toBe(2 * chunkBytes);
    expect(second.validator).toBe('"v1"');
    await feed(second, file.subarray(2 * chunkBytes));
    expect(await second.finish()).toEqual({ bytes: file, sha256 });
    await second.commit();
    expect(await store.readFile(sha256)).toEqual(file);
  });

  test('nothing resumes without a validator, for another size, or when a stored chunk is gone', async () => {
    const noValidator = await open();
    await feed(noValidator, file.subarray(0, 2 * chunkBytes));
    await noValidator.close();
    expect((await open()).length).toBe(0);

    const withValidator = await open();
    withValidator.validator = '"v1"';
    await feed(withValidator, file.subarray(0, 2 * chunkBytes));
    await withValidator.close();
    expect((await open(file.byteLength + 1)).length).toBe(0);
    expect(await store.file(sha256)).toBeUndefined();

    const third = await open();
    third.validator = '"v1"';
    await feed(third, file.subarray(0, 2 * chunkBytes));
    await third.close();
    await (await openRaw()).delete('chunks', [sha256, 1]);
    const resumed = await open();
    expect(resumed.length).toBe(0);
    expect(await store.file(sha256)).toBeUndefined();
  });

  test('reset (the server sent the whole file again) and discard (bytes proved wrong) purge what was stored', async () => {
    const body = await open();
    body.validator = '"v1"';
    await feed(body, file.subarray(0, 2 * chunkBytes));
    await body.reset();
    expect(body.length).toBe(0);
    expect(await store.file(sha256)).toBeUndefined();
    await feed(body, file);
    await body.discard();
    expect(await store.file(sha256)).toBeUndefined();
    expect(await store.usage()).toBe(0);
  });

  test('bytes the caller hashed already are not hashed again: the sha256 given is the one finish() says', async () => {
    // Not the bytes' own hash: finish() answering it shows nothing was hashed here.
    const given = 'f'.repeat(64);
    const body = await StoredBody.open({
      store,
      sha256: given,
      chunkBytes,
      expectedBytes: file.byteLength,
      hashed: true,
      makeRoom: async () => false,
      onFailure: async (error) => {
        throw error;
      },
    });
    await feed(body, file);
    expect(await body.finish()).toEqual({ bytes: file, sha256: given });
    await body.commit();
    expect(await store.file(given)).toMatchObject({ complete: true, chunks: 4, bytes: file.byteLength });
  });

  test('a file of unknown size grows its buffer and stores the same', async () => {
    const body = await open(undefined);
    await feed(body, file, 700);
    expect(await body.finish()).toEqual({ bytes: file, sha256 });
    await body.commit();
    expect(await store.readFile(sha256)).toEqual(file);
  });
});

/** Alters one byte of a stored chunk in place, keeping its size and its record's checksum. */
async function flipByte(index: number, at: number) {
  const db = await openRaw();
  const chunk = await db.get('chunks', [sha256, index]);
  if (!(chunk?.data instanceof Blob)) throw new Error(`chunk ${index} is not a stored Blob`);
  const bytes = new Uint8Array(await chunk.data.arrayBuffer());
  bytes[at] = (bytes[at] ?? 0) ^ 1;
  await db.put('chunks', { ...chunk, data: new Blob([bytes]) });
}

test('missingFiles: the files without a complete copy, in the order given', async () => {
  const body = await open();
  await feed(body, file.subarray(0, 2 * chunkBytes)); // stored in part: not complete
  await body.close();
  const partial = { sha256, bytes: file.byteLength };
  const absent = { sha256: 'b'.repeat(64), bytes: 7 };
  expect(await store.missingFiles([partial, absent])).toEqual([partial, absent]);
  const again = await open(); // no validator: starts over
  await feed(again, file);
  expect((await again.finish()).sha256).toBe(sha256);
  await again.commit();
  expect(await store.missingFiles([absent, partial])).toEqual([absent]);
  expect(await store.missingFiles([])).toEqual([]);
});

describe('9: reads check each chunk', () => {
  async function storeFile() {
    const body = await open();
    await feed(body, file);
    await body.finish();
    await body.commit();
    await body.close();
  }

  test('a chunk altered in place, same size, fails its XXH64: the file is purged', async () => {
    await storeFile();
    await flipByte(1, 5);
    expect(await store.readFile(sha256)).toBeUndefined();
    expect(await store.file(sha256)).toBeUndefined();
  });

  test('chunks stored without a checksum (an older webinfer) are checked by the SHA-256 of the file', async () => {
    await storeFile();
    const db = await openRaw();
    for (const chunk of await db.getAll('chunks')) {
      const { xxh64: _, ...legacy } = chunk;
      await db.put('chunks', legacy);
    }
    expect(await store.readFile(sha256)).toEqual(file);
    await flipByte(3, 0);
    expect(await store.readFile(sha256)).toBeUndefined();
  });
});

describe('3: writes refused with InvalidStateError after a quota error (Firefox)', () => {
  const invalidState = () => Object.assign(new Error('The database connection is closing.'), { name: 'InvalidStateError' });
  const record = { sha256: 'a'.repeat(64), bytes: 4, chunkBytes, chunks: 1, complete: true } as const;

  function failingStore(failures: number) {
    let opens = 0;
    const close = vi.fn();
    const storeOver = new ModelStore({
      open: async () => {
        opens++;
        const real = await openRaw();
        const db = {
          close,
          transaction: (...args: Parameters<StoreDatabase['transaction']>) => {
            if (failures-- > 0) throw invalidState();
            return real.transaction(...args);
          },
        };
        return db as unknown as StoreDatabase;
      },
    });
    return { storeOver, close, opens: () => opens };
  }

  test('the connection is reopened once and the write retried', async () => {
    const { storeOver, close, opens } = failingStore(1);
    await storeOver.putChunk(record, 0, { data: new Blob([new Uint8Array(4)]), xxh64: '0' });
    expect(close).toHaveBeenCalledTimes(1);
    expect(opens()).toBe(2);
  });

  test('then a clear storage-unavailable error, not a loop', async () => {
    const { storeOver, opens } = failingStore(5);
    await expect(storeOver.putChunk(record, 0, { data: new Blob([new Uint8Array(4)]), xxh64: '0' })).rejects.toMatchObject({
      name: 'StorageError',
      code: 'storage-unavailable',
    });
    expect(opens()).toBe(2);
  });
});

async function openRaw(): Promise<StoreDatabase> {
  const { openStore } = await import('../../src/artifacts/store/open-store.js');
  return openStore();
}
