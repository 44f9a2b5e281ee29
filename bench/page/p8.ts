/**
 * P8: the cost of watching. One runtime with telemetry on (beacons every second, web-vitals,
 * long frames) loads the same model twice into its worker: once with every monitor a manifest
 * can declare (NaN, ranges, drift per feature, confidence) and feedback on, once with the
 * worker's monitors off. Blocks of calls alternate between the two, so both see the same
 * machine and the same worker (two workers differ by a few per cent on their own, which would
 * drown the figure); the figure is the ratio of their median round trips. Telemetry's share of a
 * call is one timestamp pushed to a ring, paid by both; its beacons run during both. The page's
 * latency histograms are always on.
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
  const manifest = (side: string, watch: object) =>
    manifestDataUrl({
      ...singleFileManifest(`p8-${task.model}-${side}`, '1', new URL(workload.url, location.href).href, file),
      monitoring: watch,
    });
  const rt = createRuntime({ backends: ['wasm'], telemetry: { endpoint: '/collect', intervalMs: 1_000 } });
  try {
    // Two sessions of one model differ by a per cent or two on their own: which is made first
    // alternates between tasks, and the runner pools them.
    const loadOn = () => rt.load(manifest('on', monitoring[task.model]), { feedback: {} });
    const loadOff = () => rt.load(manifest('off', { nonFinite: false }));
    const first = task.onFirst ? await loadOn() : await loadOff();
    const second = task.onFirst ? await loadOff() : await loadOn();
    const [on, off] = task.onFirst ? [first, second] : [second, first];
    const samples = {
      on: [] as number[],
      off: [] as number[],
      onInference: [] as number[],
      offInference: [] as number[],
      onWorker: [] as number[],
      offWorker: [] as number[],
    };
    await calls(on, workload, task.warmup);
    await calls(off, workload, task.warmup);
    for (let b = 0; b < task.blocks; b++) {
      // Each block starts with the other side, so neither always follows the other.
      const order: ['on' | 'off', Model][] =
        b % 2
          ? [
              ['off', off],
              ['on', on],
            ]
          : [
              ['on', on],
              ['off', off],
            ];
      for (const [side, model] of order) {
        const { roundTripMs, inferenceMs, workerMs } = await calls(model, workload, block);
        samples[side].push(...roundTripMs);
        samples[`${side}Inference`].push(...inferenceMs);
        samples[`${side}Worker`].push(...workerMs);
      }
    }
    return { kind: 'p8', model: task.model, ...samples };
  } finally {
    await rt.close();
  }
}

async function calls(model: Model, workload: Workload, count: number) {
  const roundTripMs: number[] = [];
  const inferenceMs: number[] = [];
  const workerMs: number[] = [];
  let previous: Previous;
  for (let i = 0; i < count; i++) {
    const { outputs, timings } = await model.runDetailed(workload.feeds(previous));
    previous = outputs;
    roundTripMs.push(timings.roundTripMs);
    inferenceMs.push(timings.inferenceMs);
    workerMs.push(timings.workerMs);
  }
  return { roundTripMs, inferenceMs, workerMs };
}
