import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { beacon, post, startCollector, seriesValue as value } from './support.js';

/**
 * `/metrics` in the Prometheus text format: checked by `promtool check metrics` (Debian's
 * `prometheus` package), and scraped by a real Prometheus started on loopback, whose PromQL
 * answers with the counts the beacons carried.
 */
let running: Awaited<ReturnType<typeof startCollector>>;
const sent = 12;

beforeAll(async () => {
  running = await startCollector();
  for (let i = 0; i < sent; i++) expect((await post(`${running.url}/collect`, JSON.stringify(beacon()))).status).toBe(204);
  // One refused, one repeated: counted by reason, and not stored twice.
  await post(`${running.url}/collect`, '{"nope": 1}');
  const again = beacon();
  await post(`${running.url}/collect`, JSON.stringify(again));
  await post(`${running.url}/collect`, JSON.stringify(again));
});
afterAll(() => running.stop());

const scrape = async () => (await fetch(`${running.url}/metrics`)).text();

test('promtool check metrics passes, and the figures are the beacons’', async () => {
  const text = await scrape();
  const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  expect(check.error).toBeUndefined();
  expect(`${check.stdout}${check.stderr}`.trim()).toBe('');
  expect(check.status).toBe(0);
  const labels = 'model="vad",version="5.0.0",backend="wasm"';
  expect(value(text, `webinfer_runs_total{${labels}}`)).toBe(3 * (sent + 1));
  expect(value(text, `webinfer_run_errors_total{${labels},code="call-timeout"}`)).toBe(sent + 1);
  expect(value(text, `webinfer_anomalies_total{${labels},kind="latency"}`)).toBe(sent + 1);
  // Fine buckets 40 and 44 (0.0512 s and 0.1024 s) are coarse buckets le=0.0512 and le=0.1024.
  const total = `webinfer_run_duration_seconds_bucket{${labels},phase="total"`;
  expect(value(text, `${total},le="0.0256"}`)).toBe(0);
  expect(value(text, `${total},le="0.0512"}`)).toBe(2 * (sent + 1));
  expect(value(text, `${total},le="0.1024"}`)).toBe(3 * (sent + 1));
  expect(value(text, `${total},le="+Inf"}`)).toBe(3 * (sent + 1));
  expect(value(text, 'webinfer_beacons_received_total')).toBe(sent + 1);
  expect(value(text, 'webinfer_beacons_duplicate_total')).toBe(1);
  expect(value(text, 'webinfer_beacons_rejected_total{reason="schema"}')).toBe(1);
  expect(value(text, 'webinfer_web_vital_lcp_seconds_bucket{le="2.5"}')).toBe(sent + 1);
});

test('a real Prometheus scrapes it, and PromQL returns the count sent', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'webinfer-prometheus-'));
  const port = await freePort();
  const target = new URL(running.url).host;
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: webinfer\n    static_configs:\n      - targets: ['${target}']\n`,
  );
  const prometheus: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  try {
    const query = async (promql: string) => {
      const url = `http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(promql)}`;
      const answer = (await (await fetch(url)).json()) as { data: { result: { value: [number, string] }[] } };
      return answer.data.result[0]?.value[1];
    };
    let runs: string | undefined;
    for (let tries = 0; tries < 100 && runs === undefined; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      runs = await query('sum(webinfer_runs_total)').catch(() => undefined);
    }
    expect(Number(runs)).toBe(3 * (sent + 1));
    expect(Number(await query('sum(webinfer_beacons_received_total)'))).toBe(sent + 1);
    expect(Number(await query('up{job="webinfer"}'))).toBe(1);
  } finally {
    prometheus.kill('SIGTERM');
    await new Promise((resolve) => prometheus.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
