import { type IDBPDatabase, openDB, type StoreNames } from 'idb';
import { StorageError } from '../../errors.js';
import { databaseName, databaseVersion, type StoreSchema } from './schema.js';

/** RELIABILITY.md 6: an `open` that never settles must not hang a load. */
export const openTimeoutMs = 5_000;

/**
 * Opens the cache database, creating its stores on first use. Fails with a `StorageError`
 * instead of hanging: `storage-unavailable` when IndexedDB is missing, throws or does not answer
 * within `timeoutMs`; `storage-blocked` when another tab holds an older version open. This
 * connection closes itself when a newer version wants the database (RELIABILITY.md 7).
 */
export async function openStore({ timeoutMs = openTimeoutMs, onClose }: { timeoutMs?: number; onClose?: () => void } = {}) {
  if (typeof indexedDB === 'undefined') {
    throw new StorageError('storage-unavailable', 'IndexedDB is not available here: models run uncached');
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StorageError('storage-unavailable', `IndexedDB did not open within ${timeoutMs} ms: models run uncached`)),
      timeoutMs,
    );
  });
  let blocked: (() => void) | undefined;
  const blockedByOtherTab = new Promise<never>((_, reject) => {
    blocked = () =>
      reject(
        new StorageError('storage-blocked', 'Another tab holds an older version of the model cache open: reload or close it'),
      );
  });
  let opening: Promise<StoreDatabase>;
  try {
    opening = openDB<StoreSchema>(databaseName, databaseVersion, {
      // Every store that is missing is created, whatever version the database had: an upgrade
      // from any earlier schema (or a partial one) ends with the whole current schema.
      upgrade(db) {
        const missing = (name: StoreName) => !db.objectStoreNames.contains(name);
        if (missing('files')) db.createObjectStore('files', { keyPath: 'sha256' });
        if (missing('chunks')) db.createObjectStore('chunks', { keyPath: ['sha256', 'index'] });
        if (missing('models')) {
          db.createObjectStore('models', { keyPath: ['id', 'version'] }).createIndex('byFile', 'fileHashes', {
            multiEntry: true,
          });
        }
        if (missing('manifests')) db.createObjectStore('manifests', { keyPath: 'url' });
        if (missing('runtime')) db.createObjectStore('runtime', { keyPath: 'url' });
      },
      blocked: () => blocked?.(),
      // A newer webinfer in another tab wants to upgrade: let it, and reopen lazily when needed.
      blocking: () => {
        void opening.then((db) => db.close());
        onClose?.();
      },
      terminated: () => onClose?.(),
    });
  } catch (error) {
    // indexedDB.open itself throws in some contexts (a SecurityError in opaque origins).
    clearTimeout(timer);
    throw new StorageError('storage-unavailable', `IndexedDB could not be opened: ${(error as Error).message}`, { cause: error });
  }
  try {
    return await Promise.race([opening, timeout, blockedByOtherTab]);
  } catch (error) {
    // An open that settles after we gave up must not leak a connection.
    opening.then((db) => db.close()).catch(() => undefined);
    if (error instanceof StorageError) throw error;
    throw new StorageError('storage-unavailable', `IndexedDB could not be opened: ${(error as Error).message}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

export type StoreDatabase = IDBPDatabase<StoreSchema>;
type StoreName = StoreNames<StoreSchema>;
