/**
 * P4 and P5 on the large model, for one chunk size. P5: webinfer's download + verify + store
 * (`loadTimings.downloadMs` of a load with an empty cache) against each part alone on the same
 * bytes in a worker: `fetch().arrayBuffer()`, hash-wasm, IndexedDB writes with the same chunking.
 * P4: webinfer's verified cache read (`loadTimings.cacheReadMs` of a load from the cache, in a
 * worker that has started onnxruntime-web already) against a raw OPFS read of the same files.
 */
import { createRuntime, type Model } from 'webinfer';
import type { BenchTask, StorageOp, StorageReply, StorageResult } from '../shared/protocol.js';

type StorageTask = Extract<BenchTask, { kind: 'storage' }>;

export const largeManifest = './large/large.manifest.json';

function storageWorker() {
  const worker = new Worker(new URL('./storage-worker.ts', import.meta.url), { type: 'module' });
  const call = (op: StorageOp) =>
    new Promise<number>((resolve, reject) => {
      worker.onmessage = ({ data }: MessageEvent<StorageReply | { error: string }>) =>
        'error' in data ? reject(new Error(`${op.op}: ${data.error}`)) : resolve(data.ms);
      worker.postMessage(op);
    });
  return { call, close: () => worker.terminate() };
}

const timingsOf = ({ info }: Model) => ({ ...info.loadTimings, cache: info.cache.state, bytes: info.bytes });

/** The large model loaded by a fresh runtime (from an empty cache: P5's download). */
async function loadTimings(chunkBytes: number) {
  const rt = createRuntime({ backends: ['wasm'], cache: { chunkBytes } });
  const model = await rt.load(largeManifest);
  await rt.close();
  return timingsOf(model);
}

/**
 * The large model loaded from the cache twice by one worker. The first is a warm start: it reads
 * beside onnxruntime-web's start (`warmRuntime`), which on two cores takes the read's time too.
 * The second reads with nothing else going on: P4's verified read.
 */
async function cachedLoads(chunkBytes: number) {
  const rt = createRuntime({ backends: ['wasm'], cache: { chunkBytes }, supervisor: { recycleWhenIdle: false } });
  const first = await rt.load(largeManifest);
  await first.dispose();
  const again = await rt.load(largeManifest);
  await rt.close();
  return { warmStart: timingsOf(first), again: timingsOf(again) };
}

export async function benchStorage({ chunkBytes }: StorageTask): Promise<StorageResult> {
  const manifestUrl = new URL(largeManifest, location.href);
  const manifest = (await (await fetch(manifestUrl)).json()) as { files: { url: string }[] };
  const urls = manifest.files.map((file) => new URL(file.url, manifestUrl).href);
  const scratch = storageWorker();
  try {
    await scratch.call({ op: 'clear' });
    const cleaner = createRuntime({ backends: ['wasm'] });
    await cleaner.cache.clear();
    await cleaner.close();
    const download = await loadTimings(chunkBytes);
    const pipelineMs = await scratch.call({ op: 'pipeline', urls, chunkBytes });
    const fetchMs = await scratch.call({ op: 'fetch', urls });
    const hashMs = await scratch.call({ op: 'hash' });
    const idbTypedWriteMs = await scratch.call({ op: 'idb-write', chunkBytes, asBlob: false });
    const idbTypedReadMs = await scratch.call({ op: 'idb-read' });
    await scratch.call({ op: 'idb-clear' });
    const idbWriteMs = await scratch.call({ op: 'idb-write', chunkBytes, asBlob: true });
    const idbReadMs = await scratch.call({ op: 'idb-read-composite' });
    const hashWebCryptoMs = await scratch.call({ op: 'hash-webcrypto' });
    const cached = await cachedLoads(chunkBytes);
    await scratch.call({ op: 'opfs-write' });
    const opfsReadMs = await scratch.call({ op: 'opfs-read' });
    const opfsSyncReadMs = await scratch.call({ op: 'opfs-read-sync' });
    await scratch.call({ op: 'clear' });
    return {
      kind: 'storage',
      chunkBytes,
      bytes: download.bytes,
      webinfer: {
        downloadMs: download.downloadMs,
        downloadCache: download.cache,
        cacheReadMs: cached.again.cacheReadMs,
        warmStartReadMs: cached.warmStart.cacheReadMs,
        readCache: cached.warmStart.cache === 'hit' ? cached.again.cache : cached.warmStart.cache,
      },
      alone: {
        fetchMs,
        pipelineMs,
        hashMs,
        hashWebCryptoMs,
        idbWriteMs,
        idbReadMs,
        idbTypedWriteMs,
        idbTypedReadMs,
        opfsReadMs,
        opfsSyncReadMs,
      },
    };
  } finally {
    scratch.close();
  }
}
