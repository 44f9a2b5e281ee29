/**
 * P6, micro-batching, on a model whose rows are independent and memory-bound (16 MiB of weights
 * read per run, scripts/lib/large-model.mjs `batchableModel`): 32 single-row requests made at once
 * to the model loaded with batching, against (a) the same 32 run one by one and (b) one request
 * carrying all 32 rows, the physical limit of batching. Also the page <-> worker transit of each
 * concurrent request (round trip − worker time) against that of a lone request: P2's overhead
 * while the queue is busy. Alternated `runs` times.
 */
import { createRuntime, type Model } from 'webinfer';
import type { BenchTask, P6Result } from '../shared/protocol.js';

type P6Task = Extract<BenchTask, { kind: 'p6' }>;

export const batchableManifest = './batchable/batchable.manifest.json';
const rows = 32;
const features = 1024;

const input = (count: number, seed: number) =>
  ({
    x: {
      type: 'float32',
      data: Float32Array.from({ length: count * features }, (_, i) => Math.sin(seed + i)),
      dims: [count, features],
    },
  }) as const;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

export async function benchBatching(task: P6Task): Promise<P6Result> {
  const rt = createRuntime({ backends: ['wasm'] });
  try {
    const batched = await rt.load(batchableManifest, { batching: { maxBatch: rows, maxDelayMs: 2 } });
    const alone = await rt.load(batchableManifest);
    // Inputs are made before each clock starts (making them takes ~2 ms here, as much for one
    // request of 32 rows as for 32 of one) and are transferred, so each measurement gets new ones.
    const singles = () => Array.from({ length: rows }, (_, i) => input(1, i));
    const sequential =
      (model: Model, inputs = singles()) =>
      async () => {
        for (const feeds of inputs) await model.run(feeds);
      };
    const concurrent = (inputs = singles()) => Promise.all(inputs.map((feeds) => batched.runDetailed(feeds)));
    const oneBatch =
      (feeds = input(rows, 0)) =>
      () =>
        alone.run(feeds);
    // Warm-up: every path once.
    await sequential(alone)();
    await concurrent();
    await oneBatch()();
    const result: P6Result = {
      kind: 'p6',
      verified: batched.info.batching?.verified === true,
      sequentialMs: [],
      concurrentMs: [],
      oneBatchMs: [],
      batchSizes: [],
      busyTransitMs: [],
      idleTransitMs: [],
    };
    for (let run = 0; run < task.runs; run++) {
      result.sequentialMs.push(await timed(sequential(alone)));
      let replies: Awaited<ReturnType<typeof concurrent>> = [];
      const inputs = singles();
      result.concurrentMs.push(
        await timed(async () => {
          replies = await concurrent(inputs);
        }),
      );
      for (const { timings } of replies) {
        result.batchSizes.push(timings.batchSize);
        result.busyTransitMs.push(timings.roundTripMs - timings.workerMs);
      }
      result.oneBatchMs.push(await timed(oneBatch()));
      const lone = await batched.runDetailed(input(1, run));
      result.idleTransitMs.push(lone.timings.roundTripMs - lone.timings.workerMs);
    }
    return result;
  } finally {
    await rt.close();
  }
}
