import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Beacon, MetricsDelta } from '../../src/telemetry/beacon.js';
import { otlpBodies } from '../../src/telemetry/otlp.js';
import { beacon, post, startCollector, seriesValue as value } from './support.js';

/**
 * RELIABILITY.md 29, the collector's side: a series' `singleThread` (why its session runs on one
 * wasm thread) is taken from `/collect` and from OTLP, and counted per load in
 * `webinfer_single_thread_loads_total`, where an operator sees how many loads lack COOP/COEP.
 * Beacons from before the field are still taken; a cause webinfer does not give is refused.
 */
type Running = Awaited<ReturnType<typeof startCollector>>;
let running: Running;
beforeAll(async () => {
  running = await startCollector();
});
afterAll(() => running.stop());

const scrape = async (r: Running) => (await fetch(`${r.url}/metrics`)).text();
const series = (reason: string) =>
  `webinfer_single_thread_loads_total{model="vad",version="5.0.0",backend="wasm",reason="${reason}"}`;

/** A beacon of `loads` loads (the `load` phase's count) of a series that runs on one thread for `why`. */
function loadsBeacon(loads: number, why?: MetricsDelta['singleThread']): Beacon {
  const base = beacon();
  const [model] = base.metrics as [MetricsDelta];
  const histograms = { ...model.histograms, load: { buckets: [[60, loads]] as [number, number][], count: loads, sum: loads } };
  return { ...base, metrics: [{ ...model, histograms, ...(why ? { singleThread: why } : {}) }] };
}

test('loads of a series on one thread are counted by reason; runs alone add nothing; promtool is content', async () => {
  expect((await post(`${running.url}/collect`, JSON.stringify(loadsBeacon(2, 'not-isolated')))).status).toBe(204);
  expect((await post(`${running.url}/collect`, JSON.stringify(loadsBeacon(1, 'not-isolated')))).status).toBe(204);
  // A later beacon of the same series with runs but no load: the series still says why, no load counted.
  const runsOnly = beacon({ metrics: [{ ...(beacon().metrics[0] as MetricsDelta), singleThread: 'not-isolated' }] });
  expect((await post(`${running.url}/collect`, JSON.stringify(runsOnly))).status).toBe(204);
  const text = await scrape(running);
  expect(value(text, series('not-isolated'))).toBe(3);
  expect(text).toContain('# TYPE webinfer_single_thread_loads_total counter');
  const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  expect(`${check.stdout}${check.stderr}`.trim()).toBe('');
  expect(check.status).toBe(0);
});

test('a beacon from before the field is taken, and counts no single-thread load', async () => {
  const before = running.count('batches');
  expect((await post(`${running.url}/collect`, JSON.stringify(loadsBeacon(4)))).status).toBe(204);
  expect(running.count('batches')).toBe(before + 1);
  expect(value(await scrape(running), series('not-isolated'))).toBe(3);
});

test('a cause webinfer does not give is refused with 422 naming the field, no row written', async () => {
  const before = running.count('batches');
  const bad = { ...loadsBeacon(1), metrics: [{ ...loadsBeacon(1).metrics[0], singleThread: 'slow-machine' }] };
  const answer = await post(`${running.url}/collect`, JSON.stringify(bad));
  expect(answer.status).toBe(422);
  expect(answer.body).toMatchObject({ error: 'schema', field: 'metrics.0.singleThread' });
  expect(running.count('batches')).toBe(before);
});

test('over OTLP, the attribute on load points counts as the field does', async () => {
  const viaOtlp = await startCollector();
  try {
    const sent = loadsBeacon(2, 'webgpu');
    const answer = await post(`${viaOtlp.url}/v1/metrics`, JSON.stringify(otlpBodies(sent, sent.sentAt - 30_000).metrics), {
      'Content-Type': 'application/json',
    });
    expect(answer.status).toBe(200);
    expect(value(await scrape(viaOtlp), series('webgpu'))).toBe(2);
  } finally {
    await viaOtlp.stop();
  }
});
