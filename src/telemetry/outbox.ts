import { type DBSchema, type IDBPDatabase, openDB } from 'idb';

/** A batch waiting for its endpoint: the request exactly as it will be sent. */
export interface Parcel {
  readonly batchId: string;
  readonly url: string;
  readonly contentType: string;
  readonly body: string;
  /** Epoch ms when it was made. */
  readonly createdAt: number;
}

interface OutboxSchema extends DBSchema {
  parcels: { key: number; value: Parcel };
}

/** Its own database: telemetry never blocks or upgrades the model cache's. */
const databaseName = 'webinfer-telemetry';
const openTimeoutMs = 3_000;

/**
 * Batches that could not be delivered, kept in IndexedDB until their endpoint answers again
 * (RELIABILITY.md 31) — in this visit or a later one. Bounded: past `maxParcels`, the oldest go
 * first, and `dropped()` counts them for the next beacon. Every failure here (no IndexedDB, a
 * full disk, an open that never answers) is swallowed: the batch is lost and counted, and
 * inference never hears of it.
 */
export class Outbox {
  readonly #maxParcels: number;
  #db: Promise<IDBPDatabase<OutboxSchema> | undefined> | undefined;
  #dropped = 0;

  constructor(maxParcels: number) {
    this.#maxParcels = maxParcels;
  }

  /** Batches dropped since the last call: the queue was full, or storage failed. */
  takeDropped(): number {
    const dropped = this.#dropped;
    this.#dropped = 0;
    return dropped;
  }

  async put(parcels: readonly Parcel[]): Promise<void> {
    const db = await this.#open();
    if (!db) {
      this.#dropped += parcels.length;
      return;
    }
    try {
      const tx = db.transaction('parcels', 'readwrite');
      quiet(tx.done);
      for (const parcel of parcels) quiet(tx.store.add(parcel));
      const count = await tx.store.count();
      let excess = count - this.#maxParcels;
      for (let cursor = await tx.store.openCursor(); cursor && excess > 0; cursor = await cursor.continue(), excess--) {
        quiet(cursor.delete());
        this.#dropped++;
      }
      await tx.done;
    } catch {
      this.#dropped += parcels.length;
    }
  }

  /** The oldest parcels, up to `limit`, with the keys that `remove` takes. */
  async peek(limit: number): Promise<{ key: number; parcel: Parcel }[]> {
    const db = await this.#open();
    if (!db) return [];
    try {
      const found: { key: number; parcel: Parcel }[] = [];
      const tx = db.transaction('parcels');
      quiet(tx.done);
      for (let cursor = await tx.store.openCursor(); cursor && found.length < limit; cursor = await cursor.continue()) {
        found.push({ key: cursor.key, parcel: cursor.value });
      }
      return found;
    } catch {
      return [];
    }
  }

  async remove(keys: readonly number[]): Promise<void> {
    if (keys.length === 0) return;
    const db = await this.#open();
    try {
      if (!db) return;
      const tx = db.transaction('parcels', 'readwrite');
      quiet(tx.done);
      for (const key of keys) quiet(tx.store.delete(key));
      await tx.done;
    } catch {
      // Left where it was: sent again later, and the collector keeps one copy (batchId).
    }
  }

  close(): void {
    void this.#db?.then((db) => db?.close());
    this.#db = undefined;
  }

  #open(): Promise<IDBPDatabase<OutboxSchema> | undefined> {
    this.#db ??= openOutbox().catch(() => {
      this.#db = undefined;
      return undefined;
    });
    return this.#db;
  }
}

/** Settles `promise` quietly: a failed request also fails its transaction, which is awaited. */
const quiet = (promise: Promise<unknown>) => void promise.catch(() => undefined);

async function openOutbox(): Promise<IDBPDatabase<OutboxSchema>> {
  if (typeof indexedDB === 'undefined') throw new Error('no IndexedDB');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const opening = openDB<OutboxSchema>(databaseName, 1, {
    upgrade(db) {
      db.createObjectStore('parcels', { autoIncrement: true });
    },
    blocking() {
      void opening.then((db) => db.close());
    },
  });
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('IndexedDB did not open')), openTimeoutMs);
  });
  try {
    return await Promise.race([opening, timeout]);
  } catch (error) {
    opening.then((db) => db.close()).catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
