import { afterAll, beforeAll, beforeEach, expect, inject, test } from 'vitest';
import { describeFile, manifestDataUrl, singleFileManifest } from '../support/browser/manifests.js';
import { modelBytes } from '../support/browser/model-bytes.js';
import { models } from '../support/browser/models.js';
import { visits } from '../support/browser/visits.js';

/**
 * RELIABILITY.md 12 and 19 across visits: a download stores each chunk as it arrives, so one cut
 * off (the network, an abort, a closed tab) resumes in a later runtime — a new worker, as after a
 * reload — with `Range` from the last stored chunk and `If-Range`, and ends with the exact bytes.
 */
const server = inject('faultServer');
const chunkBytes = 64 * 1024;
const retry = { baseDelayMs: 10, maxDelayMs: 20, stallMs: 2_000 };
const runtimes = visits();
/** A runtime as a new visit would make it; `attempts: 1` lets a fault end the load. */
const visit = (attempts: number) =>
  runtimes.visit({ backends: ['wasm'], cache: { chunkBytes }, download: { ...retry, attempts } });
let heavy: { bytes: number; sha256: string };
let nextId = 0;

beforeAll(async () => {
  heavy = await describeFile(models.heavy);
});
beforeEach(() => visit(1).cache.clear());
afterAll(runtimes.closeAll);

interface Logged {
  range: string | null;
  ifRange: string | null;
  status: number;
}

function heavyThrough(scenario: string, n: number) {
  const id = `r${Date.now()}-${nextId++}`;
  const url = manifestDataUrl(singleFileManifest('heavy', id, `${server}/s/${id}/${scenario}/${n}/heavy.onnx`, heavy));
  const log = async () => (await (await fetch(`${server}/log/${id}`)).json()) as Logged[];
  return { url, log };
}

test('12: a download cut off in one visit resumes in the next from the last stored chunk', async () => {
  const { url, log } = heavyThrough('drop', 300_000);
  await expect(visit(1).load(url)).rejects.toMatchObject({ name: 'FetchError', code: 'network' });
  const storedChunks = Math.floor(300_000 / chunkBytes);
  expect(await modelBytes(visit(1))).toBe(storedChunks * chunkBytes);

  const resumer = visit(1);
  const model = await resumer.load(url);
  expect(model.info.cache).toEqual({ state: 'stored' });
  const requests = await log();
  expect(requests.map((r) => r.status)).toEqual([200, 206]);
  expect(requests[1]).toMatchObject({ range: `bytes=${storedChunks * chunkBytes}-`, ifRange: requests[1]?.ifRange });
  expect(requests[1]?.ifRange).toMatch(/^"[0-9a-f]{16}"$/);
  expect(await modelBytes(resumer)).toBe(heavy.bytes);
  const again = await visit(1).load(url);
  expect(again.info.cache).toEqual({ state: 'hit' });
});

test('13: the next visit finds the file changed (200 to the range): it starts again and keeps only the new bytes', async () => {
  const { url, log } = heavyThrough('ignore-range', 300_000);
  await expect(visit(1).load(url)).rejects.toMatchObject({ code: 'network' });
  const restarter = visit(1);
  const model = await restarter.load(url);
  expect(model.info.bytes).toBe(heavy.bytes);
  expect((await log()).map((r) => [r.status, r.range])).toEqual([
    [200, null],
    [200, `bytes=${Math.floor(300_000 / chunkBytes) * chunkBytes}-`],
  ]);
  expect(await modelBytes(restarter)).toBe(heavy.bytes);
});

test('19: aborted mid-download, the stored chunks stay consistent and the next load resumes from them', async () => {
  const { url, log } = heavyThrough('slow', 40);
  const controller = new AbortController();
  const first = visit(4).load(url, {
    signal: controller.signal,
    onProgress: (p) => p.loaded >= 5 * chunkBytes && controller.abort(),
  });
  await expect(first).rejects.toMatchObject({ name: 'AbortError' });
  // The worker stops on its own time; its chunk writes settle before it lets go of the file.
  const resumed = await visit(4).load(url);
  expect(resumed.info.bytes).toBe(heavy.bytes);
  const second = (await log()).at(-1);
  const start = Number(/^bytes=(\d+)-$/.exec(second?.range ?? '')?.[1]);
  expect(start % chunkBytes).toBe(0);
  expect(start).toBeGreaterThanOrEqual(4 * chunkBytes);
  expect(second?.status).toBe(206);
});
