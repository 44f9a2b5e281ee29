/**
 * The opt-in run past 2 GB (`node bench/run.mjs --only huge`): a model with 2.25 GiB of weights in
 * three external-data files downloads, is stored and runs; then a new runtime loads it from the
 * cache and runs it again. Its output is checked against a float64 reference computed in Node.
 */
import { createRuntime, type ModelInfo } from 'webinfer';
import type { BenchTask, HugeResult } from '../shared/protocol.js';

type HugeTask = Extract<BenchTask, { kind: 'huge' }>;

async function loadAndRun(x: Float32Array): Promise<{ info: ModelInfo; ms: number; y: Float32Array }> {
  const rt = createRuntime({ backends: ['wasm'] });
  try {
    const started = performance.now();
    const model = await rt.load('./huge/huge.manifest.json');
    const ms = performance.now() - started;
    const { y } = await model.run({ x: { type: 'float32', data: x.slice(), dims: [1, x.length] } });
    return { info: model.info, ms, y: y?.data as Float32Array };
  } finally {
    await rt.close();
  }
}

export async function benchHuge(task: HugeTask): Promise<HugeResult> {
  const cleaner = createRuntime({ backends: ['wasm'] });
  await cleaner.cache.clear();
  await cleaner.close();
  const x = Float32Array.from(task.x);
  const cold = await loadAndRun(x);
  const warm = await loadAndRun(x);
  let maxAbsDiff = 0;
  task.y.forEach((expected, i) => {
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs((cold.y[i] ?? Number.NaN) - expected));
  });
  const phase = ({ info, ms }: { info: ModelInfo; ms: number }) => ({ ms, cache: info.cache.state, timings: info.loadTimings });
  return {
    kind: 'huge',
    bytes: cold.info.bytes,
    cold: phase(cold),
    warm: phase(warm),
    maxAbsDiff: Number.isNaN(maxAbsDiff) ? Number.POSITIVE_INFINITY : maxAbsDiff,
    sameOutputs: cold.y.every((value, i) => value === warm.y[i]),
  };
}
