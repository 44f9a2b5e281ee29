import { afterAll, expect, test, vi } from 'vitest';
import { type AnomalyEvent, createRuntime, type Predictions } from '../../src/index.js';
import { hookableWorkers } from '../support/browser/hookable.js';
import { manifestDataUrl } from '../support/browser/manifests.js';
import { models } from '../support/browser/models.js';

/**
 * The manifest's monitoring, watched in the worker: NaN in an input, a value outside the
 * training range, a classifier unsure of itself far more often than it was in training. Each is
 * an `anomaly` event on the runtime, rate-limited; the runs themselves succeed. The worker
 * watches a run once its reply has gone, so its events follow the run's result.
 */
const rt = createRuntime({ backends: ['wasm'] });
afterAll(() => rt.close());
const events: AnomalyEvent[] = [];
rt.on('anomaly', (event) => events.push(event));

async function monitored() {
  const manifestUrl = new URL(models.mlpTabularManifest, location.href);
  const manifest = await (await fetch(manifestUrl)).json();
  manifest.files = manifest.files.map((file: { url: string }) => ({ ...file, url: new URL(file.url, manifestUrl).href }));
  manifest.monitoring = {
    ranges: { x: { min: -3, max: 3 } },
    confidence: { output: 'logits', min: 0.99, window: 10, expected: 0.05 },
  };
  return rt.load(manifestDataUrl(manifest));
}

const tensor = (values: number[]) => ({ x: { type: 'float32' as const, data: Float32Array.from(values), dims: [1, 4] } });

test('NaN in an input: one event, later ones within 10 s counted, not sent; the runs succeed', async () => {
  const model = await monitored();
  events.length = 0;
  for (let i = 0; i < 3; i++) {
    const out = await model.run(tensor([0, Number.NaN, 1, 0]));
    expect((out.logits as Predictions).type).toBe('predictions');
  }
  // The NaN reaches the output too: one event for each, none for the next two runs. The output's
  // comes with the run's reply; the input's, watched once the reply has gone, just after.
  const nonFinite = () => events.filter((e) => e.kind === 'non-finite');
  await vi.waitFor(() =>
    expect(nonFinite().map((e) => `${e.where} ${e.tensor}`)).toEqual(expect.arrayContaining(['input x', 'output logits'])),
  );
  await model.run(tensor([0, 0, 0, 0]));
  expect(nonFinite()).toHaveLength(2);
  expect(nonFinite()[0]).toMatchObject({ model: 'mlp-tabular', version: '1.0.0', backend: 'wasm', suppressed: 0 });
});

test('a value outside the training range, and low confidence on the labelled output', async () => {
  const model = await monitored();
  events.length = 0;
  await model.run({ x: { age: 140, hours: 40, color: 'red' } }); // (140 − 40) / 10 = 10 > 3
  await vi.waitFor(() =>
    expect(events.find((e) => e.kind === 'out-of-range')).toMatchObject({ tensor: 'x', details: { max: 3, value: 10 } }),
  );
  // This random-weight MLP is nowhere near 99 % sure of an ordinary row: 10 unsure rows in a
  // row (the one above, 8 here, one more), where 5 % are expected, are a collapse.
  for (let age = 30; age < 38; age++) {
    await model.run({ x: { age, hours: 40, color: 'blue' } });
    expect(events.find((e) => e.kind === 'confidence-collapse')).toBeUndefined();
  }
  const { logits } = await model.run({ x: { age: 40, hours: 40, color: 'blue' } });
  expect((logits as Predictions).data[0]?.[0]?.score).toBeLessThan(0.99);
  await vi.waitFor(() =>
    expect(events.find((e) => e.kind === 'confidence-collapse')).toMatchObject({ tensor: 'logits', where: 'output' }),
  );
});

test('a latency spike (the worker held for 300 ms) after a steady stream is an anomaly', async () => {
  const hooks = hookableWorkers();
  // Every event, not one per 10 s: a busy machine may make a spike of its own first.
  const own = createRuntime({ backends: ['wasm'], createWorker: hooks.createWorker, anomalies: { intervalMs: 0 } });
  const spikes: AnomalyEvent[] = [];
  own.on('anomaly', (event) => event.kind === 'latency' && spikes.push(event));
  const model = await own.load(models.mlp);
  for (let i = 0; i < 60; i++) await model.run(tensor([0.1, 0.2, 0.3, 0.4]));
  hooks.workers[0]?.postMessage('block');
  const { timings } = await model.runDetailed(tensor([0.1, 0.2, 0.3, 0.4]));
  expect(timings.roundTripMs).toBeGreaterThan(250);
  // Calls are counted in batches, within 100 ms of the first one not counted yet.
  await vi.waitFor(() =>
    expect(spikes.at(-1)).toMatchObject({ model: 'mlp', tensor: '(call)', details: { ms: timings.roundTripMs } }),
  );
  await own.close();
});

test('{ monitor: false } keeps a call out of monitoring: no anomaly, no metrics, no result id', async () => {
  const model = await monitored();
  events.length = 0;
  const runsBefore = () => rt.metrics().models.find((m) => m.model === 'mlp-tabular')?.runs ?? 0;
  const before = runsBefore();
  const unwatched = await model.runDetailed(tensor([0, Number.NaN, 1, 0]), { monitor: false });
  expect(unwatched.resultId).toBe('');
  expect(events).toEqual([]);
  expect(runsBefore()).toBe(before);
  // The same call watched is seen at once.
  const watched = await model.runDetailed(tensor([0, Number.NaN, 1, 0]));
  expect(watched.resultId).not.toBe('');
  expect(runsBefore()).toBe(before + 1);
  await expect(model.run(tensor([0, 0, 0, 0]), { monitor: 'no' as unknown as boolean })).rejects.toMatchObject({
    code: 'invalid-options',
    details: { option: 'monitor', expected: 'a boolean' },
  });
});
