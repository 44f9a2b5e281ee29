import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, expect, test } from 'vitest';
import { beacon } from './support.js';

/**
 * RELIABILITY.md 34 with the collector as users run it (`webinfer collector`, the built CLI):
 * killed with SIGKILL while beacons stream in, it opens cleanly on restart with every batch it
 * had acknowledged; two collectors writing one SQLite file at once answer every beacon, none
 * with SQLITE_BUSY, and store each once.
 */
const cli = fileURLToPath(new URL('../../dist/cli/webinfer.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'webinfer-crash-'));
const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function startProcess(db: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [cli, 'collector', '--port', '0', '--db', db], { stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /(http:\/\/[\d.:]+)\/collect/.exec(out)?.[1];
      if (found) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`collector exited (${code}) before listening: ${out}`)));
  });
  return { child, url };
}

const send = async (url: string, body: unknown) =>
  (await fetch(`${url}/collect`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'text/plain' } }))
    .status;

test('killed with SIGKILL mid-stream: after a restart, every acknowledged batch is there', { timeout: 60_000 }, async () => {
  const db = join(dir, 'crash.db');
  const { child, url } = await startProcess(db);
  const acknowledged: string[] = [];
  let killed = false;
  // Eight senders in a loop, each waiting for its answer before the next beacon.
  const senders = Array.from({ length: 8 }, async () => {
    while (!killed) {
      const b = beacon();
      const status = await send(url, b).catch(() => 0);
      if (status === 204) acknowledged.push(b.batchId);
    }
  });
  while (acknowledged.length < 400) await new Promise((resolve) => setTimeout(resolve, 5));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  killed = true;
  await Promise.all(senders);
  await exited;

  const restarted = await startProcess(db);
  expect(await send(restarted.url, beacon())).toBe(204);
  const reader = new Database(db, { readonly: true });
  try {
    expect(reader.pragma('integrity_check', { simple: true })).toBe('ok');
    const stored = new Set(
      (reader.prepare('SELECT batch_id FROM batches').all() as { batch_id: string }[]).map((r) => r.batch_id),
    );
    const lost = acknowledged.filter((id) => !stored.has(id));
    expect(lost).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(400);
  } finally {
    reader.close();
    restarted.child.kill('SIGTERM');
  }
});

test('two collectors on one SQLite file: every beacon answered 204, each stored once', { timeout: 60_000 }, async () => {
  const db = join(dir, 'shared.db');
  const [a, b] = [await startProcess(db), await startProcess(db)];
  const beacons = Array.from({ length: 400 }, () => beacon());
  const statuses = await Promise.all(beacons.map((x, i) => send(i % 2 ? a.url : b.url, x)));
  // The same batches again, the other way round: acknowledged, not stored twice.
  const repeats = await Promise.all(beacons.slice(0, 100).map((x, i) => send(i % 2 ? b.url : a.url, x)));
  expect(new Set([...statuses, ...repeats])).toEqual(new Set([204]));
  const reader = new Database(db, { readonly: true });
  try {
    expect((reader.prepare('SELECT count(*) AS n FROM batches').get() as { n: number }).n).toBe(400);
    // Every batch's calls added into the minute rollups once (3 a beacon).
    expect((reader.prepare('SELECT sum(runs) AS n FROM run_minutes').get() as { n: number }).n).toBe(1200);
  } finally {
    reader.close();
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
  }
});
