/**
 * P1, warm start: a fresh runtime loading a model whose files are cached (worker start,
 * onnxruntime-web init, manifest, IndexedDB read, hash check, session) against a fresh worker
 * creating the session from bytes already in memory. Alternated, `runs` times each.
 */
import { createRuntime } from 'webinfer';
import { describeFile, manifestDataUrl, singleFileManifest } from '../../test/support/browser/manifests.js';
import type { BenchTask, P1Result } from '../shared/protocol.js';
import type { BaselineRequest } from './baseline-worker.js';

type P1Task = Extract<BenchTask, { kind: 'p1' }>;

/** A model to warm-start: its manifest, and its files' bytes for the baseline. */
export interface WarmStartModel {
  readonly id: string;
  readonly manifestUrl: string;
  readonly model: ArrayBuffer;
  readonly externalData: readonly { readonly path: string; readonly data: ArrayBuffer }[];
}

/** A one-file manifest (a data: URL) for the model file at `url`. */
export async function singleFile(url: string, id: string): Promise<WarmStartModel> {
  const file = await describeFile(url);
  const manifest = singleFileManifest(id, '1', new URL(url, location.href).href, file);
  return { id, manifestUrl: manifestDataUrl(manifest), model: await (await fetch(url)).arrayBuffer(), externalData: [] };
}

/** The model a manifest at `url` names, external data included. */
export async function fromManifest(url: string): Promise<WarmStartModel> {
  const manifestUrl = new URL(url, location.href).href;
  const manifest = (await (await fetch(manifestUrl)).json()) as {
    id: string;
    files: { url: string; role: string; path?: string }[];
  };
  const bytes = (file: { url: string }) => fetch(new URL(file.url, manifestUrl)).then((r) => r.arrayBuffer());
  const model = manifest.files.find((file) => file.role === 'model');
  if (!model) throw new Error(`${url} names no model file`);
  const externalData = await Promise.all(
    manifest.files
      .filter((file) => file.role === 'external-data')
      .map(async (file) => ({ path: file.path ?? file.url.split('/').pop() ?? '', data: await bytes(file) })),
  );
  return { id: manifest.id, manifestUrl, model: await bytes(model), externalData };
}

async function baselineOnce(model: WarmStartModel): Promise<number> {
  // Copies made before the clock starts: the worker gets them transferred, as memory it owns.
  const request: BaselineRequest = {
    model: model.model.slice(0),
    externalData: model.externalData.map(({ path, data }) => ({ path, data: data.slice(0) })),
  };
  const transfer = [request.model, ...request.externalData.map((file) => file.data)];
  const started = performance.now();
  const worker = new Worker(new URL('./baseline-worker.ts', import.meta.url), { type: 'module' });
  await new Promise((resolve, reject) => {
    worker.onmessage = resolve;
    worker.onerror = reject;
    worker.postMessage(request, transfer);
  });
  const elapsed = performance.now() - started;
  worker.terminate();
  return elapsed;
}

async function warmOnce(manifestUrl: string) {
  const rt = createRuntime({ backends: ['wasm'] });
  const started = performance.now();
  const model = await rt.load(manifestUrl);
  const ms = performance.now() - started;
  await rt.close();
  return { ms, cache: model.info.cache.state, timings: model.info.loadTimings };
}

export async function benchWarmStart(task: P1Task, model: WarmStartModel): Promise<P1Result> {
  const filler = createRuntime({ backends: ['wasm'] });
  await filler.cache.delete(model.id);
  await filler.load(model.manifestUrl);
  await filler.close();
  const webinferMs: number[] = [];
  const baselineMs: number[] = [];
  const cacheStates: string[] = [];
  const timings: P1Result['timings'][number][] = [];
  for (let i = 0; i < task.runs; i++) {
    baselineMs.push(await baselineOnce(model));
    const warm = await warmOnce(model.manifestUrl);
    webinferMs.push(warm.ms);
    cacheStates.push(warm.cache);
    timings.push(warm.timings);
  }
  return { kind: 'p1', webinferMs, baselineMs, cacheStates, timings };
}
