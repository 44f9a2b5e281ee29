import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { beacon, lyingRequest, post, startCollector } from './support.js';

/**
 * `POST /collect` over real HTTP on loopback into a real SQLite file: a beacon is stored once
 * whatever number of times it comes, and everything RELIABILITY.md 32 throws at it is refused
 * with its own status and no row written, the process healthy after.
 */
let running: Awaited<ReturnType<typeof startCollector>>;
const collect = () => `${running.url}/collect`;
const total = (sql: string) => (running.collector.store.db.prepare(sql).get() as { n: number }).n;
/** Rows of batches and anomalies; calls and vitals added into the minute rollups. */
const rows = () => ({
  batches: running.count('batches'),
  anomalies: running.count('anomalies'),
  runs: total('SELECT coalesce(sum(runs), 0) AS n FROM run_minutes'),
  vitals: total('SELECT coalesce(sum(good + needs_improvement + poor), 0) AS n FROM vital_minutes'),
});

beforeAll(async () => {
  running = await startCollector();
});
afterAll(() => running.stop());

test('a beacon is stored, every part in its table; sent again, it is acknowledged and not stored twice', async () => {
  const before = rows();
  const sent = beacon();
  expect((await post(collect(), JSON.stringify(sent))).status).toBe(204);
  const after = rows();
  expect({
    batches: after.batches - before.batches,
    anomalies: after.anomalies - before.anomalies,
    runs: after.runs - before.runs,
    vitals: after.vitals - before.vitals,
  }).toEqual({ batches: 1, anomalies: 1, runs: 3, vitals: 1 });
  expect((await post(collect(), JSON.stringify(sent), { 'Content-Type': 'application/json' })).status).toBe(204);
  expect(rows()).toEqual(after);
  // The first beacon of this database: its minute's row is its figures alone.
  const stored = running.collector.store.db.prepare('SELECT * FROM run_minutes').get() as Record<string, string>;
  expect(stored).toMatchObject({
    model: 'vad',
    version: '5.0.0',
    backend: 'wasm',
    runs: 3,
    at: Math.floor(sent.sentAt / 60_000) * 60_000,
  });
  expect(JSON.parse(stored.histograms ?? '')).toEqual({ total: { buckets: { 40: 2, 44: 1 }, count: 3, sum: 0.012 } });
  expect(JSON.parse(stored.errors ?? '')).toEqual({ 'call-timeout': 1 });
});

describe('32: what is refused, with no row written', () => {
  const big = JSON.stringify(beacon({ client: 'x'.repeat(70 * 1024) }));
  test.each([
    ['a body over 64 KiB', () => post(collect(), big), 413, 'too-large'],
    ['text that is not JSON', () => post(collect(), '{"format": "webinfer/beacon@1", '), 400, 'bad-request'],
    ['an empty body', () => post(collect(), ''), 400, 'bad-request'],
    ['a __proto__ key (prototype poisoning)', () => post(collect(), '{"__proto__": {"polluted": true}}'), 400, 'bad-request'],
    [
      'another content type',
      () => post(collect(), JSON.stringify(beacon()), { 'Content-Type': 'application/x-www-form-urlencoded' }),
      415,
      'unsupported-type',
    ],
  ])('%s: %i', async (_, send, status, error) => {
    const before = rows();
    const answer = await send();
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject({ error });
    expect(rows()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  const now = Date.now();
  test.each([
    ['an unknown field', { ...beacon(), extra: 1 }, 'extra'],
    ['an unknown field inside', { ...beacon(), longFrames: { ...beacon().longFrames, note: 'x' } }, 'longFrames.note'],
    ['an over-long string', beacon({ client: 'x'.repeat(65) }), 'client'],
    ['a wrong type', { ...beacon(), seq: '3' }, 'seq'],
    ['a far-future timestamp', beacon({ sentAt: now + 3_600_000 }), 'sentAt'],
    ['too many anomalies', beacon({ anomalies: new Array(201).fill(beacon().anomalies[0]) }), 'anomalies'],
    [
      'a NaN figure (as null)',
      JSON.parse(JSON.stringify(beacon({ longFrames: { ...beacon().longFrames, blockingMs: Number.NaN } }))),
      'longFrames.blockingMs',
    ],
    ['another format', { ...beacon(), format: 'webinfer/beacon@2' }, 'format'],
    [
      'an errors key that reaches the prototype',
      { ...beacon(), metrics: [{ ...beacon().metrics[0], errors: { constructor: 1 } }] },
      'metrics.0.errors.constructor',
    ],
  ])('%s: 422 naming the field', async (_, body, field) => {
    const before = rows();
    const answer = await post(collect(), JSON.stringify(body));
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ error: 'schema', field });
    expect(rows()).toEqual(before);
  });

  test('a Content-Length longer than the body: no answer but a 400, no row', async () => {
    const before = rows();
    const body = JSON.stringify(beacon());
    expect([0, 400]).toContain(await lyingRequest(running.url, body, body.length + 100));
    expect(rows()).toEqual(before);
  });

  test('a Content-Length shorter than the body: the cut JSON is refused, and so is the rest', async () => {
    const before = rows();
    const body = JSON.stringify(beacon());
    expect(await lyingRequest(running.url, body, body.length - 10)).toBe(400);
    expect(rows()).toEqual(before);
  });

  test('the process stays healthy', async () => {
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    expect((await post(collect(), JSON.stringify(beacon()))).status).toBe(204);
  });
});

test('35: no column could hold an IP address, a user agent or a model input', () => {
  const columns = running.collector.store.db
    .prepare("SELECT m.name AS tbl, p.name AS col FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'")
    .all() as { tbl: string; col: string }[];
  expect(columns.length).toBeGreaterThan(25);
  const personal = columns.filter(
    ({ col }) => /ip|addr|agent|\bua\b|user|input|host|referr|url|cookie|email|name$/i.test(col) && col !== 'name',
  );
  expect(personal).toEqual([]);
});
