/**
 * P3: main-thread long tasks while a model loads and runs 200 times, through webinfer (worker)
 * and, as the baseline, through onnxruntime-web imported and run on the page itself.
 */
import { createRuntime, type Feeds } from 'webinfer';
import type { BenchTask, P3Result } from '../shared/protocol.js';
import { watchLongTasks } from './long-tasks.js';
import { timeCalls, type Workload } from './workloads.js';

type P3Task = Extract<BenchTask, { kind: 'p3-webinfer' | 'p3-main-thread' }>;

export async function benchWebinfer(task: P3Task, workload: Workload): Promise<P3Result> {
  const stop = watchLongTasks();
  const started = performance.now();
  const rt = createRuntime({ backends: ['wasm'] });
  try {
    const model = await rt.load(workload.url);
    const loadMs = performance.now() - started;
    const runMs = await timeCalls(task.runs, workload, (feeds) => model.run(feeds));
    return { kind: task.kind, crossOriginIsolated, threads: model.info.threads, loadMs, runMs, longTasks: await stop() };
  } finally {
    await rt.close();
  }
}

export async function benchMainThread(task: P3Task, workload: Workload): Promise<P3Result> {
  const stop = watchLongTasks();
  const started = performance.now();
  const ort = await import('onnxruntime-web/wasm');
  const bytes = new Uint8Array(await (await fetch(workload.url)).arrayBuffer());
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  try {
    const loadMs = performance.now() - started;
    const toOrt = (feeds: Feeds) =>
      Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, new ort.Tensor(t.type, t.data as never, t.dims)]));
    const runMs = await timeCalls(task.runs, workload, (feeds) => session.run(toOrt(feeds)));
    // onnxruntime-web writes back the thread count it chose when `numThreads` was left unset.
    const threads = ort.env.wasm.numThreads ?? Number.NaN;
    return { kind: task.kind, crossOriginIsolated, threads, loadMs, runMs, longTasks: await stop() };
  } finally {
    await session.release();
  }
}
