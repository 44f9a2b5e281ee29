import { describe, expect, test } from 'vitest';
import { chooseChannel, rolloutPoint } from '../../src/artifacts/channels.js';

/**
 * Rollouts by a stable hash of the install id: the share of installs inside is the percentage
 * asked, within what chance allows; an install keeps its side; one inside at 10 % stays inside
 * at 50 %; and models roll out to different installs.
 */
const ids = Array.from({ length: 20_000 }, (_, i) => `install-${i}-${(i * 2_654_435_761) % 1_000_003}`);
const points = Promise.all(ids.map((id) => rolloutPoint(id, 'vad')));

describe('rolloutPoint', () => {
  test.each([1, 10, 25, 50, 90])('%i %: the share inside is within 4.5 standard deviations of it', async (percent) => {
    const inside = (await points).filter((p) => p < percent).length;
    const p = percent / 100;
    const sd = Math.sqrt(ids.length * p * (1 - p));
    expect(Math.abs(inside - ids.length * p)).toBeLessThan(4.5 * sd);
  });

  test('points are spread evenly: each tenth of the scale holds a tenth of the installs (chi-squared, 9 df)', async () => {
    const counts = new Array<number>(10).fill(0);
    for (const point of await points) counts[Math.floor(point / 10)] = (counts[Math.floor(point / 10)] ?? 0) + 1;
    const expected = ids.length / 10;
    const chi2 = counts.reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    // The 99.99th percentile of chi-squared with 9 degrees of freedom.
    expect(chi2).toBeLessThan(33.7);
  });

  test('stable for an install, nested as the percentage grows, different between models', async () => {
    expect(await rolloutPoint('install-7', 'vad')).toBe(await rolloutPoint('install-7', 'vad'));
    const all = await points;
    const at10 = new Set(ids.filter((_, i) => (all[i] as number) < 10));
    const at50 = new Set(ids.filter((_, i) => (all[i] as number) < 50));
    expect([...at10].every((id) => at50.has(id))).toBe(true);
    const other = await Promise.all(ids.slice(0, 2_000).map((id) => rolloutPoint(id, 'classifier')));
    const both = other.filter((p, i) => p < 10 && (all[i] as number) < 10).length;
    // Independent: about 1 % of installs are in both 10 % rollouts, not 10 %.
    expect(both).toBeLessThan(60);
  });
});

describe('chooseChannel', () => {
  const doc = JSON.stringify({
    format: 'webinfer/channels@1',
    id: 'vad',
    channels: {
      stable: { manifest: '5.0.0/manifest.json', rollout: { manifest: '5.1.0/manifest.json', percent: 30 } },
      canary: { manifest: 'https://cdn.example/vad/5.2.0.json' },
    },
  });
  const url = 'https://models.example/vad/channels.json';

  test('a channel names its manifest, relative to the document; its rollout takes the installs inside', async () => {
    expect(await chooseChannel(doc, url, 'canary', 'any')).toEqual({
      manifestUrl: 'https://cdn.example/vad/5.2.0.json',
      channel: 'canary',
      rollout: false,
    });
    const choices = await Promise.all(ids.slice(0, 1_000).map((id) => chooseChannel(doc, url, 'stable', id)));
    const inside = choices.filter((c) => c.rollout);
    expect(inside.every((c) => c.manifestUrl === 'https://models.example/vad/5.1.0/manifest.json')).toBe(true);
    expect(
      choices.filter((c) => !c.rollout).every((c) => c.manifestUrl === 'https://models.example/vad/5.0.0/manifest.json'),
    ).toBe(true);
    expect(inside.length).toBeGreaterThan(300 - 4.5 * Math.sqrt(1_000 * 0.3 * 0.7));
    expect(inside.length).toBeLessThan(300 + 4.5 * Math.sqrt(1_000 * 0.3 * 0.7));
  });

  test('a channel missing, or a bad field, is a ManifestError that names it', async () => {
    await expect(chooseChannel(doc, url, 'beta', 'x')).rejects.toMatchObject({
      code: 'channel-unknown',
      details: { expected: 'stable, canary', actual: 'beta' },
    });
    const bad = JSON.stringify({
      ...JSON.parse(doc),
      channels: { stable: { manifest: 'a.json', rollout: { manifest: 'b.json', percent: 120 } } },
    });
    await expect(chooseChannel(bad, url, 'stable', 'x')).rejects.toMatchObject({
      code: 'manifest-invalid',
      details: { field: 'channels.stable.rollout.percent' },
    });
  });
});
