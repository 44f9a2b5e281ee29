import { connect } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { beacon, post, startCollector } from './support.js';

/**
 * RELIABILITY.md 33: a flood from one origin (bounded: 600 beacons, 40 at a time) against a
 * limit of 100 a second. The excess is answered 429 before its body is read, and nothing of it
 * is written; another origin is served all along.
 */
let running: Awaited<ReturnType<typeof startCollector>>;

beforeAll(async () => {
  running = await startCollector({ rateLimit: { max: 100, windowMs: 1_000 } });
});
afterAll(() => running.stop());

test('33: one origin’s excess is shed with 429, its stored rows stay within the limit, others still get in', async () => {
  const flood = 'https://flood.example';
  const statuses: number[] = [];
  const other: number[] = [];
  const started = performance.now();
  for (let wave = 0; wave < 15; wave++) {
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => post(`${running.url}/collect`, JSON.stringify(beacon()), { Origin: flood })),
    );
    statuses.push(...answers.map((a) => a.status));
    other.push((await post(`${running.url}/collect`, JSON.stringify(beacon()), { Origin: 'https://calm.example' })).status);
  }
  const seconds = (performance.now() - started) / 1000;
  const accepted = statuses.filter((s) => s === 204).length;
  const shed = statuses.filter((s) => s === 429).length;
  expect(accepted + shed).toBe(600);
  // At most 100 in each 1 s window the flood spanned.
  expect(accepted).toBeLessThanOrEqual(100 * Math.ceil(seconds + 1));
  expect(shed).toBeGreaterThan(0);
  expect(new Set(other)).toEqual(new Set([204]));
  expect(running.count('batches')).toBe(accepted + other.length);
  const metrics = await (await fetch(`${running.url}/metrics`)).text();
  expect(metrics).toContain(`webinfer_beacons_rejected_total{reason="rate-limited"} ${shed}`);
});

test('the 429 says why, and comes before the body is read (a 1 MB body is not read either)', async () => {
  const strict = await startCollector({ rateLimit: { max: 5, windowMs: 60_000 } });
  try {
    const origin = 'https://flood2.example';
    for (let i = 0; i < 5; i++)
      expect((await post(`${strict.url}/collect`, JSON.stringify(beacon()), { Origin: origin })).status).toBe(204);
    const answer = await post(`${strict.url}/collect`, 'x'.repeat(1_000_000), { Origin: origin });
    expect(answer.status).toBe(429);
    expect(answer.body).toMatchObject({ error: 'rate-limited' });
  } finally {
    await strict.stop();
  }
});

test('close does not wait on a kept-alive socket whose refused body finished arriving after close began', async () => {
  const strict = await startCollector({ rateLimit: { max: 0, windowMs: 60_000 } });
  const target = new URL(strict.url);
  const socket = connect(Number(target.port), target.hostname);
  try {
    await new Promise((resolve) => socket.once('connect', resolve));
    const answered = new Promise<string>((resolve) => socket.once('data', (chunk) => resolve(chunk.toString('latin1'))));
    // Half the body: the collector answers 429 from the headers, and is still reading when it is told to close.
    socket.write(`POST /collect HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: text/plain\r\nContent-Length: 2000\r\n\r\n`);
    socket.write('x'.repeat(1000));
    expect(await answered).toMatch(/^HTTP\/1\.1 429 /);
    const closed = strict.stop().then(() => 'closed');
    socket.write('x'.repeat(1000));
    // The keep-alive timeout is 72 s; closing must not wait for it.
    const late = new Promise((resolve) => setTimeout(resolve, 10_000, 'still open after 10 s'));
    expect(await Promise.race([closed, late])).toBe('closed');
  } finally {
    socket.destroy();
  }
});
