/** P2: `model.runDetailed` round trip on the page against `session.run` inside the worker. */
import { createRuntime, type Model } from 'webinfer';
import type { BenchTask, P2Result, P2Samples } from '../shared/protocol.js';
import { type Previous, timeCalls, type Workload } from './workloads.js';

export async function benchRoundTrip(task: Extract<BenchTask, { kind: 'p2' }>, workload: Workload): Promise<P2Result> {
  const rt = createRuntime({ backends: ['wasm'] });
  try {
    const model = await rt.load(workload.url);
    const loadedAt = performance.now();
    const run = (feeds: Parameters<Model['run']>[0]) => model.run(feeds);
    await timeCalls(task.warmup, workload, run);
    const early = await sample(model, workload, task.runs);
    let callsBeforeSteady = task.warmup + task.runs;
    // V8 tiers hot wasm functions up on background threads for seconds after load; on two cores
    // that compilation competes with the page and worker threads (seen in Chromium traces).
    while (performance.now() - loadedAt < task.steadyAfterMs) {
      await timeCalls(20, workload, run);
      callsBeforeSteady += 20;
    }
    const steady = await sample(model, workload, task.runs);
    const { threads, backend } = model.info;
    return { kind: 'p2', crossOriginIsolated, threads, backend, early, steady, callsBeforeSteady };
  } finally {
    await rt.close();
  }
}

async function sample(model: Model, workload: Workload, runs: number): Promise<P2Samples> {
  const samples: P2Samples = { roundTripMs: [], inferenceMs: [], workerMs: [], prepareMs: [], queueMs: [] };
  let previous: Previous;
  for (let i = 0; i < runs; i++) {
    const { outputs, timings } = await model.runDetailed(workload.feeds(previous));
    previous = outputs;
    samples.roundTripMs.push(timings.roundTripMs);
    samples.inferenceMs.push(timings.inferenceMs);
    samples.workerMs.push(timings.workerMs);
    samples.prepareMs.push(timings.prepareMs);
    samples.queueMs.push(timings.queueMs);
  }
  return samples;
}
