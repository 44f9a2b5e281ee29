/**
 * The parts of a model download measured alone, in a worker like webinfer's, on the same bytes:
 * a plain `fetch().arrayBuffer()`, hashing with hash-wasm, writing to IndexedDB with webinfer's
 * chunking (each chunk and a file record in their own transaction), and reading from OPFS.
 */
import { createSHA256 } from 'hash-wasm';
import type { StorageOp, StorageReply } from '../shared/protocol.js';

let files: { name: string; data: Uint8Array<ArrayBuffer> }[] = [];

/** OPFS's worker-only sync handle (in the WebWorker lib, not the DOM lib this folder is checked with). */
interface SyncAccessHandle {
  read(buffer: Uint8Array, options: { at: number }): number;
  write(buffer: Uint8Array, options: { at: number }): number;
  truncate(size: number): void;
  getSize(): number;
  flush(): void;
  close(): void;
}
const syncHandle = (file: FileSystemFileHandle) =>
  (file as unknown as { createSyncAccessHandle(): Promise<SyncAccessHandle> }).createSyncAccessHandle();

async function handle(op: StorageOp): Promise<StorageReply> {
  const started = performance.now();
  switch (op.op) {
    case 'fetch':
      files = [];
      for (const url of op.urls) {
        const data = new Uint8Array(await (await fetch(url, { cache: 'no-store' })).arrayBuffer());
        files.push({ name: new URL(url).pathname.split('/').pop() ?? 'file', data });
      }
      break;
    case 'hash':
      for (const file of files) (await createSHA256()).update(file.data).digest('hex');
      break;
    case 'hash-webcrypto':
      for (const file of files) await crypto.subtle.digest('SHA-256', file.data);
      break;
    case 'idb-read-composite':
      await idbReadComposite();
      break;
    case 'idb-write':
      await idbWrite(op.chunkBytes, op.asBlob);
      break;
    case 'pipeline':
      await pipeline(op.urls, op.chunkBytes);
      break;
    case 'idb-read':
      await idbRead();
      break;
    case 'opfs-write': {
      const root = await navigator.storage.getDirectory();
      for (const file of files) {
        const handle = await syncHandle(await root.getFileHandle(file.name, { create: true }));
        handle.truncate(0);
        handle.write(file.data, { at: 0 });
        handle.flush();
        handle.close();
      }
      break;
    }
    case 'opfs-read': {
      const root = await navigator.storage.getDirectory();
      for (const file of files) await (await (await root.getFileHandle(file.name)).getFile()).arrayBuffer();
      break;
    }
    case 'opfs-read-sync': {
      const root = await navigator.storage.getDirectory();
      for (const file of files) {
        const handle = await syncHandle(await root.getFileHandle(file.name));
        const data = new Uint8Array(handle.getSize());
        handle.read(data, { at: 0 });
        handle.close();
      }
      break;
    }
    case 'idb-clear':
      await deleteScratch();
      break;
    case 'clear': {
      files = [];
      const root = await navigator.storage.getDirectory();
      for await (const name of (root as unknown as { keys(): AsyncIterable<string> }).keys()) await root.removeEntry(name);
      await deleteScratch();
      break;
    }
  }
  return { ms: performance.now() - started, bytes: files.reduce((sum, file) => sum + file.data.byteLength, 0) };
}

function deleteScratch(): Promise<unknown> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase('bench-scratch');
    request.onsuccess = request.onerror = request.onblocked = resolve;
  });
}

function openScratch(): Promise<IDBDatabase> {
  return new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('bench-scratch', 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore('chunks', { keyPath: ['name', 'index'] });
      request.result.createObjectStore('files', { keyPath: 'name' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

const done = (request: IDBRequest | IDBTransaction) =>
  new Promise((resolve, reject) => {
    if (request instanceof IDBTransaction) {
      request.oncomplete = resolve;
      request.onerror = request.onabort = () => reject(request.error);
    } else {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    }
  });

/** Reads back every chunk `idb-write` stored (typed arrays), one `get` at a time, into one buffer per file. */
async function idbRead(): Promise<void> {
  const db = await openScratch();
  for (const file of files) {
    const out = new Uint8Array(file.data.byteLength);
    const record = (await done(db.transaction('files').objectStore('files').get(file.name))) as { chunks: number };
    let offset = 0;
    for (let index = 0; index < record.chunks; index++) {
      const { data } = (await done(db.transaction('chunks').objectStore('chunks').get([file.name, index]))) as {
        data: Uint8Array | Blob;
      };
      const bytes = data instanceof Blob ? new Uint8Array(await data.arrayBuffer()) : data;
      out.set(bytes, offset);
      offset += bytes.byteLength;
    }
  }
  db.close();
}

/** Reads each file's chunk Blobs in one `getAll`, then the file as one composite Blob: IndexedDB's fastest read. */
async function idbReadComposite(): Promise<void> {
  const db = await openScratch();
  for (const file of files) {
    const range = IDBKeyRange.bound([file.name, 0], [file.name, Number.MAX_SAFE_INTEGER]);
    const chunks = (await done(db.transaction('chunks').objectStore('chunks').getAll(range))) as { data: Blob }[];
    new Uint8Array(await new Blob(chunks.map((chunk) => chunk.data)).arrayBuffer());
  }
  db.close();
}

async function idbWrite(chunkBytes: number, asBlob: boolean): Promise<void> {
  const db = await openScratch();
  for (const file of files) {
    for (let index = 0; index * chunkBytes < file.data.byteLength; index++) {
      const bytes = file.data.slice(index * chunkBytes, (index + 1) * chunkBytes);
      const data = asBlob ? new Blob([bytes]) : bytes;
      const tx = db.transaction(['chunks', 'files'], 'readwrite');
      tx.objectStore('chunks').put({ name: file.name, index, data });
      tx.objectStore('files').put({ name: file.name, chunks: index + 1 });
      await done(tx);
    }
  }
  db.close();
}

/**
 * The floor for P5 on this machine: a streamed fetch that writes each chunk as it fills (two
 * writes in flight at most, as webinfer does), with no hashing and no checks at all.
 */
async function pipeline(urls: readonly string[], chunkBytes: number): Promise<void> {
  await deleteScratch();
  const db = await openScratch();
  for (const url of urls) {
    const name = new URL(url).pathname.split('/').pop() ?? 'file';
    const reader = (await fetch(url, { cache: 'no-store' })).body?.getReader();
    if (!reader) throw new Error('no body');
    const pending = new Set<Promise<unknown>>();
    const write = async (index: number, bytes: Uint8Array<ArrayBuffer>) => {
      while (pending.size >= 2) await Promise.race(pending);
      const tx = db.transaction(['chunks', 'files'], 'readwrite');
      tx.objectStore('chunks').put({ name, index, data: new Blob([bytes]) });
      tx.objectStore('files').put({ name, chunks: index + 1 });
      const written = done(tx).finally(() => pending.delete(written));
      pending.add(written);
    };
    let buffer = new Uint8Array(chunkBytes);
    let filled = 0;
    let index = 0;
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      let value = next.value;
      while (value.byteLength > 0) {
        const take = Math.min(value.byteLength, chunkBytes - filled);
        buffer.set(value.subarray(0, take), filled);
        filled += take;
        value = value.subarray(take);
        if (filled === chunkBytes) {
          await write(index++, buffer);
          buffer = new Uint8Array(chunkBytes);
          filled = 0;
        }
      }
    }
    if (filled > 0) await write(index, buffer.slice(0, filled));
    await Promise.all(pending);
  }
  db.close();
  await deleteScratch();
}

self.onmessage = async ({ data }: MessageEvent<StorageOp>) => {
  try {
    self.postMessage(await handle(data));
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};
