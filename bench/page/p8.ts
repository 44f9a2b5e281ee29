/**
 * P8: the cost of watching. One runtime with telemetry on (beacons every second, web-vitals,
 * long frames) loads the model with every monitor a manifest can declare (NaN, ranges, drift per
 * feature, confidence) and feedback on. Blocks of calls alternate between watched calls and
 * calls made with `{ monitor: false }`, which the worker's monitors, the page's metrics,
 * latency watch, telemetry and result log all skip. Both sides run on one session in one worker:
 * two sessions of one model differ by 2–3 % on their own (an A/A run of two sessions loaded
 * alike showed 1.029), which would drown the figure. The beacons, sent on a timer, fall in both.
 * A call is timed as its caller sees it, around `await runDetailed`: `timings.roundTripMs` ends
 * when the reply arrives, before the page's share of monitoring runs (it left ~1 % out). That
 * share is kept apart too (`afterReply`): 7–8 µs a watched VAD call here, most of it paid
 * once per call however little it does (run twice, it costs ~0.5 µs more).
 */
import { createRuntime, type Model } from 'webinfer';
import { describeFile, manifestDataUrl, singleFileManifest } from '../../test/support/browser/manifests.js';
import type { BenchTask, P8Result } from '../shared/protocol.js';
import { type Previous, type Workload, workloads } from './workloads.js';

const block = 40;

/** What each workload's manifest watches when monitoring is on. */
const monitoring = {
  vad: {
    ranges: { input: { min: -1, max: 1 }, stateN: { min: -50, max: 50 } },
    drift: {
      reference: { input: { sample: 'item-mean', features: [{ edges: [-0.05, 0, 0.05], proportions: [1, 1, 1, 1] }] } },
    },
  },
  heavy: {
    ranges: { x: { min: -1, max: 1 } },
    drift: {
      reference: {
        x: { features: Array.from({ length: 256 }, () => ({ edges: [-0.3, -0.1, 0.1, 0.3], proportions: [1, 1, 1, 1, 1] })) },
      },
    },
    confidence: { output: 'y', expected: 0.99 },
  },
} as const;

export async function benchMonitoring(task: Extract<BenchTask, { kind: 'p8' }>): Promise<P8Result> {
  const workload = workloads[task.model];
  const file = await describeFile(workload.url);
  const manifest = (watch: object) =>
    manifestDataUrl({
      ...singleFileManifest(`p8-${task.model}`, '1', new URL(workload.url, location.href).href, file),
      monitoring: watch,
    });
  const rt = createRuntime({ backends: ['wasm'], telemetry: { endpoint: '/collect', intervalMs: 1_000 } });
  try {
    const model = await rt.load(manifest(monitoring[task.model]), { feedback: {} });
    const samples = {
      on: [] as number[],
      off: [] as number[],
      onInference: [] as number[],
      offInference: [] as number[],
      onWorker: [] as number[],
      offWorker: [] as number[],
      onAfterReply: [] as number[],
      offAfterReply: [] as number[],
    };
    await calls(model, workload, task.warmup, true);
    await calls(model, workload, task.warmup, false);
    for (let b = 0; b < task.blocks; b++) {
      // Each block starts with the other side (task.onFirst: the watched side first in block 0).
      const watchedFirst = (b % 2 === 0) === task.onFirst;
      for (const side of watchedFirst ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
        const { roundTripMs, inferenceMs, workerMs, afterReplyMs } = await calls(model, workload, block, side === 'on');
        samples[side].push(...roundTripMs);
        samples[`${side}AfterReply`].push(...afterReplyMs);
        samples[`${side}Inference`].push(...inferenceMs);
        samples[`${side}Worker`].push(...workerMs);
      }
    }
    return { kind: 'p8', model: task.model, ...samples };
  } finally {
    // BENCH_PROFILE: the worker's profile is taken before the worker ends (bench/lib/profile.mjs).
    await (globalThis as { benchProfileWorkers?: () => Promise<void> }).benchProfileWorkers?.();
    await rt.close();
  }
}

async function calls(model: Model, workload: Workload, count: number, monitor: boolean) {
  const roundTripMs: number[] = [];
  const inferenceMs: number[] = [];
  const workerMs: number[] = [];
  const afterReplyMs: number[] = [];
  let previous: Previous;
  for (let i = 0; i < count; i++) {
    const feeds = workload.feeds(previous);
    // As the caller sees it: the page's share of monitoring included, done before the call resolves or not.
    const started = performance.now();
    const { outputs, timings } = await model.runDetailed(feeds, { monitor });
    const ms = performance.now() - started;
    roundTripMs.push(ms);
    afterReplyMs.push(ms - timings.roundTripMs);
    previous = outputs;
    inferenceMs.push(timings.inferenceMs);
    workerMs.push(timings.workerMs);
  }
  return { roundTripMs, inferenceMs, workerMs, afterReplyMs };
}
