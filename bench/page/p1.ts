/**
 * P1, warm start: a fresh runtime loading a model whose files are cached (worker start,
 * onnxruntime-web init, manifest, IndexedDB read, hash check, session) against a fresh worker
 * creating the session from bytes already in memory. Alternated, `runs` times each.
 */
import { createRuntime } from 'webinfer';
import type { BenchTask, P1Result } from '../shared/protocol.js';
import type { Workload } from './workloads.js';

type P1Task = Extract<BenchTask, { kind: 'p1' }>;

async function manifestFor(url: string, id: string): Promise<{ manifestUrl: string; bytes: ArrayBuffer }> {
  const bytes = await (await fetch(url)).arrayBuffer();
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const sha256 = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  const manifest = {
    format: 'webinfer/manifest@1',
    id,
    version: '1',
    files: [{ url: new URL(url, location.href).href, role: 'model', bytes: bytes.byteLength, sha256 }],
    inputs: [],
    outputs: [],
  };
  return { manifestUrl: `data:application/json,${encodeURIComponent(JSON.stringify(manifest))}`, bytes };
}

async function baselineOnce(bytes: ArrayBuffer): Promise<number> {
  const started = performance.now();
  const worker = new Worker(new URL('./baseline-worker.ts', import.meta.url), { type: 'module' });
  await new Promise((resolve, reject) => {
    worker.onmessage = resolve;
    worker.onerror = reject;
    worker.postMessage(bytes.slice(0), []);
  });
  const elapsed = performance.now() - started;
  worker.terminate();
  return elapsed;
}

async function warmOnce(manifestUrl: string): Promise<{ ms: number; cache: string }> {
  const rt = createRuntime({ backends: ['wasm'] });
  const started = performance.now();
  const model = await rt.load(manifestUrl);
  const ms = performance.now() - started;
  await rt.close();
  return { ms, cache: model.info.cache.state };
}

export async function benchWarmStart(task: P1Task, workload: Workload): Promise<P1Result> {
  const { manifestUrl, bytes } = await manifestFor(workload.url, `bench-${task.model}`);
  const filler = createRuntime({ backends: ['wasm'] });
  await filler.cache.delete(`bench-${task.model}`);
  await filler.load(manifestUrl);
  await filler.close();
  const webinferMs: number[] = [];
  const baselineMs: number[] = [];
  const cacheStates: string[] = [];
  for (let i = 0; i < task.runs; i++) {
    baselineMs.push(await baselineOnce(bytes));
    const warm = await warmOnce(manifestUrl);
    webinferMs.push(warm.ms);
    cacheStates.push(warm.cache);
  }
  return { kind: 'p1', webinferMs, baselineMs, cacheStates };
}
