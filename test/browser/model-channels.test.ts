import { afterAll, expect, test } from 'vitest';
import { rolloutPoint } from '../../src/artifacts/channels.js';
import { createRuntime, type UpdateEvent } from '../../src/index.js';
import { mlpExternalManifest, mlpManifest, updateScenario } from '../support/browser/update-server.js';

/**
 * Channels and rollouts (issue 8 item 2): a channels document on the update server names the
 * manifest of each channel, on scenarios of their own; a rollout sends the installs whose hash
 * falls under its percentage to a newer manifest, and a change of percentage reaches a page
 * kept current.
 */
const runtimes: ReturnType<typeof createRuntime>[] = [];
afterAll(() => Promise.all(runtimes.map((rt) => rt.close())));
const runtime = (installId: string) => {
  const rt = createRuntime({ backends: ['wasm'], installId });
  runtimes.push(rt);
  return rt;
};

/** Version 1.0.0 and 2.0.0 of "mlp-update" on scenarios of their own, and a channels document pointing at them. */
async function setUp() {
  const [doc, v1, v2] = [updateScenario(), updateScenario(), updateScenario()];
  await v1.setManifest(await mlpManifest('1.0.0'));
  await v2.setManifest(await mlpExternalManifest('2.0.0'));
  const channels = (percent: number) => ({
    format: 'webinfer/channels@1',
    id: 'mlp-update',
    channels: {
      stable: { manifest: v1.manifestUrl, rollout: { manifest: v2.manifestUrl, percent } },
      canary: { manifest: v2.manifestUrl },
    },
  });
  await doc.setManifest(channels(0));
  return { doc, v1, v2, setPercent: (percent: number) => doc.setManifest(channels(percent)) };
}

/** An install id whose rollout point for "mlp-update" is below `percent` (inside) or not. */
async function installOn(side: 'inside' | 'outside', percent: number): Promise<string> {
  for (let i = 0; ; i++) {
    const id = `install-${side}-${i}`;
    if ((await rolloutPoint(id, 'mlp-update')) < percent === (side === 'inside')) return id;
  }
}

test('a channel names the manifest a page loads; the default is stable', async () => {
  const { doc } = await setUp();
  const rt = runtime('install-a');
  const stable = await rt.load(doc.manifestUrl);
  expect([stable.info.version, stable.info.channel]).toEqual(['1.0.0', { name: 'stable', rollout: false }]);
  const canary = await rt.load(doc.manifestUrl, { channel: 'canary' });
  expect([canary.info.version, canary.info.channel]).toEqual(['2.0.0', { name: 'canary', rollout: false }]);
  await expect(rt.load(doc.manifestUrl, { channel: 'beta' })).rejects.toMatchObject({
    name: 'ManifestError',
    code: 'channel-unknown',
    details: { expected: 'stable, canary', actual: 'beta' },
  });
  await expect(rt.load(doc.manifestUrl, { channel: '../x' })).rejects.toMatchObject({ code: 'invalid-options' });
});

test('a rollout takes the installs its percentage covers, and each stays on its side', async () => {
  const { doc, setPercent } = await setUp();
  await setPercent(50);
  const inside = await installOn('inside', 50);
  const outside = await installOn('outside', 50);
  for (const [id, version, rollout] of [
    [inside, '2.0.0', true],
    [outside, '1.0.0', false],
  ] as const) {
    // Twice each, in runtimes of their own: the same side every visit.
    for (let visit = 0; visit < 2; visit++) {
      const model = await runtime(id).load(doc.manifestUrl);
      expect([model.info.version, model.info.channel?.rollout]).toEqual([version, rollout]);
    }
  }
});

test('a rollout widened while a page is open reaches it through the update check', async () => {
  const { doc, setPercent } = await setUp();
  const rt = runtime(await installOn('inside', 20));
  const updates: UpdateEvent[] = [];
  rt.on('update', (event) => updates.push(event));
  const model = await rt.load(doc.manifestUrl, { update: { intervalMs: 3_600_000, onVisible: false } });
  expect(await model.checkForUpdate()).toEqual({ version: '1.0.0', outcome: 'current' });
  await setPercent(20);
  expect(await model.checkForUpdate()).toEqual({ version: '2.0.0', outcome: 'updated' });
  expect(model.info.channel).toEqual({ name: 'stable', rollout: true });
  expect(updates).toMatchObject([{ from: '1.0.0', to: '2.0.0', trigger: 'manual' }]);
  // Rolled back on the server (the rollout ended): the page follows.
  await setPercent(0);
  expect(await model.checkForUpdate()).toEqual({ version: '1.0.0', outcome: 'updated' });
  expect(model.info.channel).toEqual({ name: 'stable', rollout: false });
  // A later visit reads the channels document and the manifest it names from the cache first.
  await model.dispose();
  const again = await rt.load(doc.manifestUrl, { update: { intervalMs: 3_600_000, onVisible: false } });
  expect([again.info.version, again.info.cache.state]).toEqual(['1.0.0', 'hit']);
});

test('over 5,000 simulated install ids, a 30 % rollout takes 30 % of them, within 4.5 standard deviations', async () => {
  // The worker's own hash, in the browser's WebCrypto.
  const points = await Promise.all(Array.from({ length: 5_000 }, (_, i) => rolloutPoint(`simulated-${i}`, 'mlp-update')));
  const inside = points.filter((p) => p < 30).length;
  expect(Math.abs(inside - 1_500)).toBeLessThan(4.5 * Math.sqrt(5_000 * 0.3 * 0.7));
});
