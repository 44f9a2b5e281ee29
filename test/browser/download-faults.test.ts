import { beforeAll, describe, expect, inject, test } from 'vitest';
import { createRuntime, FetchError } from '../../src/index.js';
import { describeFile, manifestDataUrl, singleFileManifest } from '../support/browser/manifests.js';
import { models } from '../support/browser/models.js';

/**
 * RELIABILITY.md 12–16, 20, 21: downloads from a server that drops, stalls, truncates, refuses,
 * ignores If-Range or answers 503 end with the exact bytes (the manifest's SHA-256 proves it) or a
 * clear error, within a bounded number of requests. The server logs what it was asked.
 */
const server = inject('faultServer');
// No cache: every load here must reach the server.
const rt = createRuntime({
  backends: ['wasm'],
  cache: false,
  download: { attempts: 4, baseDelayMs: 10, maxDelayMs: 50, stallMs: 1_000 },
});
let heavy: { bytes: number; sha256: string };

beforeAll(async () => {
  heavy = await describeFile(models.heavy);
});

let nextId = 0;
interface Logged {
  range: string | null;
  ifRange: string | null;
  status: number;
}

/** Loads heavy.onnx through a manifest from the fault server; returns the load's outcome and the server's log. */
async function loadThrough(scenario: string, n: number): Promise<{ outcome: unknown; log: Logged[] }> {
  const id = `t${Date.now()}-${nextId++}`;
  const manifest = singleFileManifest('heavy', scenario, `${server}/s/${id}/${scenario}/${n}/heavy.onnx`, heavy);
  const outcome = await rt
    .load(manifestDataUrl(manifest))
    .then((model) => model.info)
    .catch((e: unknown) => e);
  const log = (await (await fetch(`${server}/log/${id}`)).json()) as Logged[];
  return { outcome, log };
}

/** The second request resumed from where the first stopped: a Range from a byte > 0, with If-Range. */
function expectResumed(log: Logged[], atMost: number) {
  const start = Number(/^bytes=(\d+)-$/.exec(log[1]?.range ?? '')?.[1]);
  expect(start).toBeGreaterThan(0);
  expect(start).toBeLessThanOrEqual(atMost);
  expect(log[1]?.ifRange).toMatch(/^"[0-9a-f]{16}"$/);
}

describe('downloads recover from a misbehaving server', () => {
  test('12: the connection drops part-way: resumed with Range from the last byte held', async () => {
    const { outcome, log } = await loadThrough('drop', 300_000);
    expect(outcome).toMatchObject({ id: 'heavy', bytes: heavy.bytes });
    expect(log.map((l) => l.status)).toEqual([200, 206]);
    expectResumed(log, 300_000);
  });

  test('20: the server stops writing: the stall watchdog aborts and resumes', async () => {
    const { outcome, log } = await loadThrough('stall', 200_000);
    expect(outcome).toMatchObject({ bytes: heavy.bytes });
    expect(log.map((l) => l.status)).toEqual([200, 206]);
    expectResumed(log, 200_000);
  });

  test('20: a slow link that keeps sending is never cut off: one request, four times the stall timeout', async () => {
    const { outcome, log } = await loadThrough('slow', 250); // 64 KiB every 250 ms, stallMs 1 000
    expect(outcome).toMatchObject({ id: 'heavy', bytes: heavy.bytes });
    expect(log.map((l) => l.status)).toEqual([200]);
  });

  test('15: the body ends early without Content-Length: incomplete by the manifest size, resumed', async () => {
    const { outcome, log } = await loadThrough('truncate', 200_000);
    expect(outcome).toMatchObject({ bytes: heavy.bytes });
    expect(log.map((l) => l.status)).toEqual([200, 206]);
    expectResumed(log, 200_000);
  });

  test('13: a server that ignores the range and sends the whole file: started again from zero', async () => {
    const { outcome, log } = await loadThrough('ignore-range', 300_000);
    expect(outcome).toMatchObject({ bytes: heavy.bytes });
    expect(log.map((l) => l.status)).toEqual([200, 200]);
  });

  test('13: a range answered with other bytes: the hash mismatches, one fresh download succeeds', async () => {
    const { outcome, log } = await loadThrough('wrong-range', 300_000);
    expect(outcome).toMatchObject({ bytes: heavy.bytes });
    expect(log.map((l) => l.status)).toEqual([200, 206, 200]);
    expect(log[2]?.range).toBeNull();
  });

  test('14: 416 on resume: started again from zero', async () => {
    const { outcome, log } = await loadThrough('refuse-range', 300_000);
    expect(outcome).toMatchObject({ bytes: heavy.bytes });
    expect(log.map((l) => l.status)).toEqual([200, 416, 200]);
  });

  test('21: 503 twice, then the file: retried with backoff', async () => {
    const { outcome, log } = await loadThrough('unavailable', 2);
    expect(outcome).toMatchObject({ bytes: heavy.bytes });
    expect(log.map((l) => l.status)).toEqual([503, 503, 200]);
  });

  test('21: 503 for ever: a clear failure after the attempt budget, and no more requests', async () => {
    const { outcome, log } = await loadThrough('unavailable', 1_000);
    expect(outcome).toBeInstanceOf(FetchError);
    expect(outcome).toMatchObject({ code: 'http-status', details: { status: 503, attempts: 4 } });
    expect(log).toHaveLength(4);
  });

  test('16: an HTML page is refused at once, without retries', async () => {
    const { outcome, log } = await loadThrough('html', 0);
    expect(outcome).toMatchObject({ name: 'FetchError', code: 'not-a-model' });
    expect(log).toHaveLength(1);
  });

  test('a 404 is refused at once, naming the URL', async () => {
    const id = `t${Date.now()}-404`;
    const url = `${server}/s/${id}/ok/0/missing.onnx`;
    const outcome = await rt.load(url).catch((e: unknown) => e);
    expect(outcome).toMatchObject({ name: 'FetchError', code: 'http-status', details: { url, status: 404 } });
  });

  test('a bare .onnx URL resumes too, sized by Content-Length', async () => {
    const id = `t${Date.now()}-bare`;
    const model = await rt.load(`${server}/s/${id}/drop/300000/heavy.onnx`);
    expect(model.info.bytes).toBe(heavy.bytes);
    const log = (await (await fetch(`${server}/log/${id}`)).json()) as Logged[];
    expect(log.map((l) => l.status)).toEqual([200, 206]);
  });
});
