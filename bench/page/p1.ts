/**
 * P1, warm start: a fresh runtime loading a model whose files are cached (worker start,
 * onnxruntime-web init, manifest, IndexedDB read, hash check, session) against a fresh worker
 * creating the session from bytes already in memory. Alternated, `runs` times each.
 */
import { createRuntime } from 'webinfer';
import { describeFile, manifestDataUrl, singleFileManifest } from '../../test/support/browser/manifests.js';
import type { BenchTask, P1Result } from '../shared/protocol.js';
import type { Workload } from './workloads.js';

type P1Task = Extract<BenchTask, { kind: 'p1' }>;

/** A one-file manifest for the workload's model, and the model's bytes for the baseline. */
async function manifestFor(url: string, id: string): Promise<{ manifestUrl: string; bytes: ArrayBuffer }> {
  const file = await describeFile(url);
  const manifest = singleFileManifest(id, '1', new URL(url, location.href).href, file);
  return { manifestUrl: manifestDataUrl(manifest), bytes: await (await fetch(url)).arrayBuffer() };
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
