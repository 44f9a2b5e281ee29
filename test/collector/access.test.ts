import { afterAll, beforeAll, expect, test } from 'vitest';
import { beacon, post, startCollector } from './support.js';

/** Who may send: allowed origins (CORS and a 403 for the others) and an ingest token, both checked before the body is read. */
let running: Awaited<ReturnType<typeof startCollector>>;
const app = 'https://app.example';

beforeAll(async () => {
  running = await startCollector({ origins: [app], token: 'secret-token' });
});
afterAll(() => running.stop());

test('an origin not allowed gets 403 and no CORS header; nothing is stored', async () => {
  const answer = await post(`${running.url}/collect?token=secret-token`, JSON.stringify(beacon()), {
    Origin: 'https://evil.example',
  });
  expect(answer.status).toBe(403);
  expect(answer.body).toMatchObject({ error: 'origin' });
  expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  expect(running.count('batches')).toBe(0);
});

test('no token, or a wrong one: 401; the token in the query or as a bearer: stored, with the CORS header', async () => {
  expect((await post(`${running.url}/collect`, JSON.stringify(beacon()), { Origin: app })).status).toBe(401);
  expect((await post(`${running.url}/collect?token=nope`, JSON.stringify(beacon()), { Origin: app })).status).toBe(401);
  const byQuery = await post(`${running.url}/collect?token=secret-token`, JSON.stringify(beacon()), { Origin: app });
  expect(byQuery.status).toBe(204);
  expect(byQuery.headers.get('access-control-allow-origin')).toBe(app);
  const byHeader = await post(`${running.url}/collect`, JSON.stringify(beacon()), {
    Origin: app,
    Authorization: 'Bearer secret-token',
  });
  expect(byHeader.status).toBe(204);
  expect(running.count('batches')).toBe(2);
});

test('a preflight from an allowed origin is answered for POST with Content-Type', async () => {
  const response = await fetch(`${running.url}/collect`, {
    method: 'OPTIONS',
    headers: { Origin: app, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
  });
  expect(response.status).toBe(204);
  expect(response.headers.get('access-control-allow-origin')).toBe(app);
  expect(response.headers.get('access-control-allow-methods')).toContain('POST');
});

test('concurrent beacons, some sent twice, are each stored once, in few transactions', async () => {
  const before = running.count('batches');
  const beacons = Array.from({ length: 150 }, () => beacon());
  const sends = [...beacons, ...beacons.slice(0, 50)].map((b) =>
    post(`${running.url}/collect?token=secret-token`, JSON.stringify(b), { Origin: app }),
  );
  const statuses = (await Promise.all(sends)).map((a) => a.status);
  expect(new Set(statuses)).toEqual(new Set([204]));
  expect(running.count('batches') - before).toBe(150);
});
