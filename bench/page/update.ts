/**
 * Model updates under load (issue 8): the heavy model kept current, its manifest on the update
 * server (test/support/node/update-server.ts, started by the runner). Four callers run it back
 * to back; first alone (the baseline), then through `swaps` updates, each a new version of the
 * same file (nothing to download: the figure is the swap itself, a fresh session and its
 * warm-up beside the running one). Per swap: ms from the check to the swap, ms preparing the new
 * version, calls in flight on the old one at the swap; every call's round trip, during a swap
 * (from its check to 20 calls after) or not. Any failed call is counted.
 */
import { createRuntime, type Model, type RunResult, type UpdateEvent } from 'webinfer';
import { describeFile, singleFileManifest } from '../../test/support/browser/manifests.js';
import type { BenchTask, UpdateResult } from '../shared/protocol.js';
import { workloads } from './workloads.js';

const callers = 4;

export async function benchUpdate(task: Extract<BenchTask, { kind: 'update' }>): Promise<UpdateResult> {
  const workload = workloads.heavy;
  const file = await describeFile(workload.url);
  const id = `bench-${Date.now()}`;
  const manifestUrl = `${task.server}/u/${id}/manifest.json`;
  const publish = async (version: number) => {
    const manifest = singleFileManifest('bench-update', `${version}.0.0`, new URL(workload.url, location.href).href, file);
    const answer = await fetch(`${task.server}/u/${id}/manifest`, { method: 'POST', body: JSON.stringify(manifest) });
    if (answer.status !== 204) throw new Error(`the update server answered ${answer.status}`);
  };
  const rt = createRuntime({ backends: ['wasm'] });
  const events: UpdateEvent[] = [];
  rt.on('update', (event) => events.push(event));
  try {
    await publish(1);
    const model = await rt.load(manifestUrl, { update: { intervalMs: 3_600_000, onVisible: false, rollback: false } });
    await model.checkForUpdate();
    const result = { kind: 'update' as const, baselineMs: [] as number[], duringMs: [] as number[], swapMs: [] as number[] };
    let failed = 0;
    // Warmed up first, as the swaps' calls are: the baseline is the model at work.
    await stream(
      model,
      100,
      () => undefined,
      () => failed++,
    );
    await stream(
      model,
      task.baselineCalls,
      (ms) => result.baselineMs.push(ms),
      () => failed++,
    );
    for (let swap = 0; swap < task.swaps; swap++) {
      await publish(swap + 2);
      let swapped = false;
      let after = 0;
      const calls = Array.from({ length: callers }, async () => {
        while (!swapped || after < 20) {
          const r = await call(model, () => failed++);
          if (r === undefined) continue;
          result.duringMs.push(r.timings.roundTripMs);
          if (swapped) after++;
        }
      });
      const started = performance.now();
      const check = await model.checkForUpdate();
      result.swapMs.push(performance.now() - started);
      swapped = true;
      await Promise.all(calls);
      if (check.outcome !== 'updated') throw new Error(`swap ${swap + 1}: ${check.outcome}`);
    }
    return {
      ...result,
      preparedMs: events.map((e) => e.preparedMs),
      inFlight: events.map((e) => e.inFlight),
      failed,
    };
  } finally {
    await rt.close();
  }
}

/** `calls` calls spread over the callers, each back to back; round trips to `record`. */
async function stream(model: Model, calls: number, record: (ms: number) => void, fail: () => void): Promise<void> {
  let left = calls;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (left-- > 0) {
        const r = await call(model, fail);
        if (r) record(r.timings.roundTripMs);
      }
    }),
  );
}

async function call(model: Model, fail: () => void): Promise<RunResult | undefined> {
  try {
    return await model.runDetailed(workloads.heavy.feeds(undefined));
  } catch {
    fail();
    return undefined;
  }
}
