import { afterAll, expect, test } from 'vitest';
import { commands } from 'vitest/browser';
import {
  type AnomalyEvent,
  createRuntime,
  type Model,
  type RollbackEvent,
  type RunResult,
  type UpdateEvent,
} from '../../src/index.js';
import { models } from '../support/browser/models.js';
import { mlpExternalManifest, mlpManifest, updateScenario } from '../support/browser/update-server.js';

/**
 * Models kept current (issue 8): a local server whose manifest changes during the test. The
 * versions are "mlp-update" 1.0.0 (mlp.onnx) and 2.0.0 (the same graph with its weights
 * negated, in an external-data file): a result's numbers tell which computed it. Both share
 * their labels file.
 */
const rt = createRuntime({ backends: ['wasm'] });
const updates: UpdateEvent[] = [];
const rollbacks: RollbackEvent[] = [];
rt.on('update', (event) => updates.push(event));
rt.on('rollback', (event) => rollbacks.push(event));
afterAll(() => rt.close());

const row = [0.5, -1, 2, 0.25];
const x = () => ({ x: { type: 'float32' as const, data: Float32Array.from(row), dims: [1, 4] } });
const logits = (result: RunResult) => Array.from(result.outputs.logits?.data as Float32Array);

/** Each version's logits for `row`, from a runtime of its own. */
async function references(): Promise<Record<string, number[]>> {
  const own = createRuntime({ backends: ['wasm'], cache: false });
  const at = updateScenario();
  const found: Record<string, number[]> = {};
  for (const manifest of [await mlpManifest('1.0.0'), await mlpExternalManifest('2.0.0')]) {
    await at.setManifest(manifest);
    const model = await own.load(at.manifestUrl);
    found[manifest.version] = logits(await model.runDetailed(x()));
  }
  await own.close();
  return found;
}
const expected = references();

test('a new version is swapped in under a stream of calls: none fails, each result from exactly one version', async () => {
  const at = updateScenario();
  await at.setManifest(await mlpManifest('1.0.0'));
  const model = await rt.load(at.manifestUrl, { update: { intervalMs: 3_600_000, onVisible: false } });
  expect(model.info.version).toBe('1.0.0');
  // The check after the load: one conditional request answered 304.
  await expect
    .poll(async () => (await at.log()).filter((e) => e.path === 'manifest.json').map((e) => e.status))
    .toEqual([200, 304]);
  // Joins that check, if it is still going: the check below must find 2.0.0.
  expect(await model.checkForUpdate()).toEqual({ version: '1.0.0', outcome: 'current' });
  const labelsBefore = await at.downloads('mlp-labels.txt');
  await at.setManifest(await mlpExternalManifest('2.0.0'));
  // Four callers in a loop until 40 calls ran on the new version.
  const results: RunResult[][] = [[], [], [], []];
  const failures: unknown[] = [];
  let swapped = false;
  let onNew = 0;
  const caller = async (own: RunResult[]) => {
    while (!swapped || onNew < 40) {
      try {
        const result = await model.runDetailed(x());
        own.push(result);
        if (result.version === '2.0.0') onNew++;
      } catch (error) {
        failures.push(error);
      }
    }
  };
  const callers = results.map(caller);
  const checkStarted = performance.now();
  const check = await model.checkForUpdate();
  const swapMs = performance.now() - checkStarted;
  swapped = true;
  await Promise.all(callers);
  // What the swap cost, for the record (not judged: this machine is shared and noisy).
  const event = updates.find((e) => e.to === '2.0.0' && e.id === 'mlp-update');
  const roundTrips = (version: string) =>
    results
      .flat()
      .filter((r) => r.version === version)
      .map((r) => r.timings.roundTripMs)
      .sort((a, b) => a - b);
  const p50 = (ms: number[]) => ms[Math.floor(ms.length / 2)]?.toFixed(2);
  console.info(
    `swap under 4 callers: check to swap ${swapMs.toFixed(0)} ms (prepared ${event?.preparedMs.toFixed(0)} ms), ` +
      `${event?.inFlight} calls in flight at the swap; round trip p50 ${p50(roundTrips('1.0.0'))} ms on 1.0.0, ` +
      `${p50(roundTrips('2.0.0'))} ms on 2.0.0, slowest ${Math.max(...results.flat().map((r) => r.timings.roundTripMs)).toFixed(1)} ms`,
  );

  expect(failures).toEqual([]);
  expect(check).toEqual({ version: '2.0.0', outcome: 'updated' });
  expect(model.info.version).toBe('2.0.0');
  const refs = await expected;
  for (const result of results.flat()) expect(logits(result)).toEqual(refs[result.version]);
  // Each caller's calls are one after another: once one got 2.0.0, it never got 1.0.0 again.
  for (const own of results) {
    const versions = own.map((r) => r.version);
    expect(versions.lastIndexOf('1.0.0')).toBeLessThan(versions.includes('2.0.0') ? versions.indexOf('2.0.0') : Infinity);
  }
  expect(results.flat().filter((r) => r.version === '2.0.0').length).toBeGreaterThanOrEqual(40);
  expect(updates.find((e) => e.to === '2.0.0' && e.id === 'mlp-update')).toMatchObject({
    from: '1.0.0',
    trigger: 'manual',
    inFlight: expect.any(Number),
  });
  // Only what changed was downloaded: the labels file both versions share was not fetched again.
  expect(await at.downloads('mlp-labels.txt')).toBe(labelsBefore);
  expect(await at.downloads('mlp-external-negated.weights')).toBe(1);
  await model.dispose();
});

test('calls in flight at a swap end on their version, and what the monitors find in their inputs still arrives', async () => {
  // Every event, not one per 10 s; no probation: every call here is anomalous on purpose.
  const own = createRuntime({ backends: ['wasm'], anomalies: { intervalMs: 0 } });
  const found: AnomalyEvent[] = [];
  own.on('anomaly', (event) => event.where === 'input' && found.push(event));
  let inFlight = -1;
  own.on('update', (event) => {
    inFlight = event.inFlight;
  });
  const at = updateScenario();
  await at.setManifest(await mlpManifest('1.0.0'));
  const model = await own.load(at.manifestUrl, { update: { intervalMs: 3_600_000, onVisible: false, rollback: false } });
  // Joins the check after the load, if it is still going: the next check must find 2.0.0.
  expect(await model.checkForUpdate()).toEqual({ version: '1.0.0', outcome: 'current' });
  await at.setManifest(await mlpExternalManifest('2.0.0'));
  // A NaN in each input: an input anomaly per call, found after its reply has gone.
  const nan = () => ({ x: { type: 'float32' as const, data: Float32Array.from([0.5, Number.NaN, 2, 0.25]), dims: [1, 4] } });
  const versions: string[] = [];
  let swapped = false;
  const caller = async () => {
    while (!swapped) versions.push((await model.runDetailed(nan())).version);
  };
  const callers = [caller(), caller(), caller(), caller()];
  await expect(model.checkForUpdate()).resolves.toEqual({ version: '2.0.0', outcome: 'updated' });
  swapped = true;
  await Promise.all(callers);
  const onOld = versions.filter((v) => v === '1.0.0').length;
  // The calls in flight at the swap ended on 1.0.0; none of their events is lost.
  expect(inFlight).toBeGreaterThan(0);
  await expect.poll(() => found.filter((e) => e.version === '1.0.0').length).toBe(onOld);
  expect(found.filter((e) => e.version === '2.0.0').length).toBe(versions.length - onOld);
  expect(found.every((e) => e.kind === 'non-finite' && e.tensor === 'x')).toBe(true);
  await own.close();
});

test('a version whose canary fails is refused: the old one keeps answering, and it is not tried again', async () => {
  const at = updateScenario();
  await at.setManifest(await mlpManifest('1.0.0'));
  const model = await rt.load(at.manifestUrl, { update: { intervalMs: 3_600_000, onVisible: false } });
  expect(await model.checkForUpdate()).toEqual({ version: '1.0.0', outcome: 'current' });
  const refs = await expected;
  // 2.0.0 with golden outputs that are 1.0.0's: its own numbers fail them.
  const canary = [
    { name: 'row', inputs: { x: { type: 'float32', dims: [1, 4], data: row } }, outputs: { logits: { data: refs['1.0.0'] } } },
  ];
  await at.setManifest(await mlpExternalManifest('2.0.0', { canary } as never));
  expect(await model.checkForUpdate()).toEqual({ version: '1.0.0', outcome: 'rejected' });
  expect(rollbacks.at(-1)).toMatchObject({ id: 'mlp-update', from: '2.0.0', to: '1.0.0', reason: 'canary-failed' });
  const result = await model.runDetailed(x());
  expect([result.version, logits(result)]).toEqual(['1.0.0', refs['1.0.0']]);
  const downloads = await at.downloads();
  expect(await model.checkForUpdate()).toEqual({ version: '1.0.0', outcome: 'current' });
  expect(await at.downloads()).toBe(downloads);
  expect(rollbacks.filter((e) => e.from === '2.0.0' && e.to === '1.0.0')).toHaveLength(1);
  await model.dispose();
});

test('anomalies in the first calls after a swap roll back to the version before, which keeps answering', async () => {
  const at = updateScenario();
  await at.setManifest(await mlpManifest('1.0.0'));
  const model = await rt.load(at.manifestUrl, {
    update: { intervalMs: 3_600_000, onVisible: false, rollback: { runs: 10, maxAnomalyRate: 0.2 } },
  });
  expect(await model.checkForUpdate()).toEqual({ version: '1.0.0', outcome: 'current' });
  // 2.0.0 passes its canary (it has none) but every output is outside the ranges it declares.
  await at.setManifest(
    await mlpExternalManifest('2.0.0', { monitoring: { ranges: { logits: { min: 100, max: 101 } } } } as never),
  );
  expect(await model.checkForUpdate()).toEqual({ version: '2.0.0', outcome: 'updated' });
  const versions: string[] = [];
  for (let i = 0; i < 20 && model.info.version === '2.0.0'; i++) versions.push((await model.runDetailed(x())).version);
  await expect.poll(() => model.info.version).toBe('1.0.0');
  // More than 2 of 10 anomalous: the third call on 2.0.0 decided it.
  expect(versions.slice(0, 3)).toEqual(['2.0.0', '2.0.0', '2.0.0']);
  expect(rollbacks.at(-1)).toMatchObject({ id: 'mlp-update', from: '2.0.0', to: '1.0.0', reason: 'anomalies' });
  const refs = await expected;
  const after = await model.runDetailed(x());
  expect([after.version, logits(after)]).toEqual(['1.0.0', refs['1.0.0']]);
  // Refused: not taken again.
  expect(await model.checkForUpdate()).toEqual({ version: '1.0.0', outcome: 'current' });
  await model.dispose();
});

test('model.rollback() swaps the version before back in; versions older than it leave the cache', async () => {
  const at = updateScenario();
  await at.setManifest(await mlpManifest('1.0.0'));
  const model = await rt.load(at.manifestUrl, { update: { intervalMs: 3_600_000, onVisible: false, rollback: false } });
  expect(await model.checkForUpdate()).toEqual({ version: '1.0.0', outcome: 'current' });
  await expect(model.rollback()).rejects.toMatchObject({ code: 'no-previous-version' });
  for (const manifest of [await mlpExternalManifest('2.0.0'), await mlpManifest('3.0.0')]) {
    await at.setManifest(manifest);
    expect(await model.checkForUpdate()).toEqual({ version: manifest.version, outcome: 'updated' });
  }
  // 3.0.0 runs and 2.0.0 stays for a rollback; 1.0.0 (whose files 3.0.0 shares) is gone.
  const cachedVersions = async () =>
    (await rt.cache.list())
      .filter((m) => m.id === 'mlp-update')
      .map((m) => m.version)
      .sort();
  await expect.poll(cachedVersions).toEqual(['2.0.0', '3.0.0']);
  expect(await model.rollback()).toBe('2.0.0');
  expect(rollbacks.at(-1)).toMatchObject({ from: '3.0.0', to: '2.0.0', reason: 'manual' });
  const refs = await expected;
  const result = await model.runDetailed(x());
  expect([result.version, logits(result)]).toEqual(['2.0.0', refs['2.0.0']]);
  await expect(model.rollback()).rejects.toMatchObject({ code: 'no-previous-version' });
  await model.dispose();
});

test('model.pin() holds a cached version and stops following updates until unpin()', async () => {
  const at = updateScenario();
  await at.setManifest(await mlpManifest('1.0.0'));
  const options = { update: { intervalMs: 3_600_000, onVisible: false, rollback: false as const } };
  const first = await rt.load(at.manifestUrl, options);
  // Joins the check made after the load, so that the next one reads the new manifest.
  expect(await first.checkForUpdate()).toEqual({ version: '1.0.0', outcome: 'current' });
  await at.setManifest(await mlpExternalManifest('2.0.0'));
  expect(await first.checkForUpdate()).toMatchObject({ version: '2.0.0', outcome: 'updated' });
  await first.dispose();
  // A later visit: 2.0.0 from the cache, and 1.0.0 still there with its manifest. Pinning it
  // needs no network.
  const model = await rt.load(at.manifestUrl, options);
  expect(await model.checkForUpdate()).toEqual({ version: '2.0.0', outcome: 'current' });
  await at.down();
  await model.pin('1.0.0');
  expect(updates.at(-1)).toMatchObject({ from: '2.0.0', to: '1.0.0', trigger: 'pin' });
  const refs = await expected;
  const pinned = await model.runDetailed(x());
  expect([pinned.version, logits(pinned)]).toEqual(['1.0.0', refs['1.0.0']]);
  await expect(model.pin('0.9.0')).rejects.toMatchObject({ code: 'version-unavailable' });
  await at.up();
  await at.setManifest(await mlpManifest('3.0.0'));
  expect(await model.checkForUpdate()).toEqual({ version: '1.0.0', outcome: 'pinned' });
  expect(await model.unpin()).toEqual({ version: '3.0.0', outcome: 'updated' });
  await model.dispose();
});

test('with a cached version, a load never waits for the network; the check after it finds the new one', async () => {
  const at = updateScenario();
  await at.setManifest(await mlpManifest('1.0.0'));
  const options = { update: { intervalMs: 3_600_000, onVisible: false } };
  const first = await rt.load(at.manifestUrl, options);
  // Joins the check made after the load: nothing new yet.
  expect(await first.checkForUpdate()).toEqual({ version: '1.0.0', outcome: 'current' });
  await first.dispose();
  // A manifest that takes 6 s to come: the load does not wait for it, the check after it does.
  await at.setManifest(await mlpExternalManifest('2.0.0'));
  await at.manifestDelay(6_000);
  const asked = (await at.log()).length;
  const started = performance.now();
  const model = await rt.load(at.manifestUrl, options);
  // Loaded with no manifest answered since: at most the check's request, still waiting.
  const since = (await at.log()).slice(asked);
  expect(since.every((e) => e.path === 'manifest.json' && e.status === 0)).toBe(true);
  expect(performance.now() - started).toBeLessThan(6_000);
  expect(model.info.version).toBe('1.0.0');
  expect(model.info.cache.state).toBe('hit');
  expect((await model.runDetailed(x())).version).toBe('1.0.0');
  expect(await model.checkForUpdate()).toEqual({ version: '2.0.0', outcome: 'updated' });
  expect(performance.now() - started).toBeGreaterThanOrEqual(6_000);
  await at.manifestDelay(0);
  // Offline, a check fails and changes nothing, and a load comes from the cache alone.
  await commands.setOffline(true);
  try {
    await expect(model.checkForUpdate()).rejects.toMatchObject({ name: 'FetchError', code: 'network' });
    expect((await model.runDetailed(x())).version).toBe('2.0.0');
    const offline = await rt.load(at.manifestUrl, options);
    expect([offline.info.version, offline.info.cache.state]).toEqual(['2.0.0', 'hit']);
    await offline.dispose();
  } finally {
    await commands.setOffline(false);
  }
  await model.dispose();
});

test('the interval finds a new version by itself', async () => {
  const at = updateScenario();
  await at.setManifest(await mlpManifest('1.0.0'));
  const model: Model = await rt.load(at.manifestUrl, { update: { intervalMs: 1_000, onVisible: false } });
  // Joins the check made after the load, so the interval is what finds the new version.
  expect(await model.checkForUpdate()).toEqual({ version: '1.0.0', outcome: 'current' });
  await at.setManifest(await mlpExternalManifest('2.0.0'));
  await expect.poll(() => model.info.version, { timeout: 10_000 }).toBe('2.0.0');
  expect(updates.find((e) => e.id === 'mlp-update' && e.trigger === 'interval')).toMatchObject({ from: '1.0.0', to: '2.0.0' });
  // Every check after the first sent the validators it had.
  const checks = (await at.log()).filter((e) => e.path === 'manifest.json').slice(1);
  expect(checks.every((e) => e.ifNoneMatch !== null)).toBe(true);
  await model.dispose();
});

test('the page becoming visible again checks, once the last check is a minute old', async () => {
  const at = updateScenario();
  await at.setManifest(await mlpManifest('1.0.0'));
  const model = await rt.load(at.manifestUrl, { update: { intervalMs: 3_600_000, onVisible: true } });
  expect(await model.checkForUpdate()).toEqual({ version: '1.0.0', outcome: 'current' });
  await at.setManifest(await mlpExternalManifest('2.0.0'));
  const becomeVisible = () => document.dispatchEvent(new Event('visibilitychange'));
  expect(document.visibilityState).toBe('visible');
  // Just checked: becoming visible does not check again.
  const asked = (await at.log()).length;
  becomeVisible();
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect((await at.log()).length).toBe(asked);
  // A minute on (the page's clock moved forward, as in a tab left hidden), it does.
  const now = performance.now.bind(performance);
  performance.now = () => now() + 61_000;
  try {
    becomeVisible();
    await expect.poll(() => model.info.version, { timeout: 10_000 }).toBe('2.0.0');
  } finally {
    performance.now = now;
  }
  expect(updates.find((e) => e.id === 'mlp-update' && e.trigger === 'visible')).toMatchObject({ from: '1.0.0', to: '2.0.0' });
  await model.dispose();
});

test('update is refused for a bare .onnx file and a bad interval; checkForUpdate without it', async () => {
  await expect(rt.load(models.mlp, { update: true })).rejects.toMatchObject({ code: 'invalid-options' });
  await expect(rt.load('/x/manifest.json', { update: { intervalMs: 10 } })).rejects.toMatchObject({
    code: 'invalid-options',
    details: { option: 'update.intervalMs' },
  });
  const model = await rt.load(models.mlpManifest);
  await expect(model.checkForUpdate()).rejects.toMatchObject({ code: 'invalid-options', details: { option: 'update' } });
  await model.dispose();
});
