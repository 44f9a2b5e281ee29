import { afterAll, expect, inject, test } from 'vitest';
import type { LoadProgress } from '../../src/index.js';
import { modelBytes } from '../support/browser/model-bytes.js';
import { visits } from '../support/browser/visits.js';

/**
 * The large synthetic model (scripts/lib/large-model.mjs): about 200 MB of weights in two ONNX
 * external-data files, with a manifest made by `webinfer manifest`. It downloads, is stored,
 * and loads again from the cache in a new worker; its output matches a float64 reference
 * computed in Node, so every weight arrived where the graph expects it.
 */
const server = inject('faultServer');
const reference = inject('largeModel');
const { visit, closeAll } = visits();
afterAll(closeAll);

const input = () => ({ x: { type: 'float32' as const, data: Float32Array.from(reference.x), dims: [1, reference.x.length] } });

function maxAbsDiff(actual: ArrayLike<number>, expected: readonly number[]): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)));
  return worst;
}

test('a 200 MB model with external data downloads, is stored, and loads again from the cache', async () => {
  const id = `large-${Date.now()}`;
  const url = `${server}/s/${id}/ok/0/large.manifest.json`;
  await visit().cache.clear();
  const progress: LoadProgress[] = [];
  const downloader = visit();
  const first = await downloader.load(url, { onProgress: (p) => progress.push(p) });
  expect(first.info).toMatchObject({ id: 'large', cache: { state: 'stored' } });
  expect(first.info.bytes).toBeGreaterThan(200_000_000);
  const downloading = progress.filter((p) => p.stage === 'downloading');
  expect(downloading.at(-1)).toMatchObject({ loaded: first.info.bytes, total: first.info.bytes, fromCache: false, etaMs: 0 });
  // Seconds of download: the rate is known and plausible (loopback, a shared machine).
  expect(downloading.at(-1)?.bytesPerSecond).toBeGreaterThan(1_000_000);
  expect(downloading.length).toBeLessThan(200); // reports are throttled, not one per network read
  const { y } = await first.run(input());
  expect(y?.dims).toEqual([1, reference.y.length]);
  expect(maxAbsDiff(y?.data as Float32Array, reference.y)).toBeLessThan(1e-4);
  // Asked of the runtime that loaded: its worker may still be storing onnxruntime-web's binary.
  expect(await modelBytes(downloader)).toBe(first.info.bytes);

  const fromCache: LoadProgress[] = [];
  const second = await visit().load(url, { onProgress: (p) => fromCache.push(p) });
  expect(second.info.cache).toEqual({ state: 'hit' });
  expect(fromCache.filter((p) => p.stage === 'reading-cache').every((p) => p.fromCache && p.bytesPerSecond === null)).toBe(true);
  expect(fromCache.some((p) => p.stage === 'downloading')).toBe(false);
  const requests = (await (await fetch(`${server}/log/${id}`)).json()) as { file: string }[];
  // Each file once; the manifest again, revalidated.
  expect(requests.map((r) => r.file)).toEqual([
    'large.manifest.json',
    'large.onnx',
    'large.weights-0.bin',
    'large.weights-1.bin',
    'large.manifest.json',
  ]);
  const again = await second.run(input());
  expect(again.y?.data).toEqual(y?.data);
}, 120_000);
