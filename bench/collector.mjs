/**
 * `npm run bench:collector` (after `npm run build`): P10, the collector under load. Starts
 * `webinfer collector` as users run it (its own process, a fresh SQLite file), then sends beacons
 * of 20 metric points each (two models, ten phase histograms apiece) at a fixed rate on loopback,
 * open loop: each second's beacons leave on schedule whether or not earlier ones were answered
 * (at most 512 in flight, over up to 128 kept-alive connections). Prints the rate reached, latency percentiles, beacons lost (answered
 * 204 but not stored, or not answered), and the collector's memory over the run.
 * `node bench/collector.mjs --rate 2000 --seconds 60` (the defaults).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const rate = arg('rate', 2_000);
const seconds = arg('seconds', 60);
const maxInFlight = 512;
const goals = { rate: 2_000, p99Ms: 50, lost: 0 };

const cli = fileURLToPath(new URL('../dist/cli/webinfer.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'webinfer-bench-collector-'));
const db = join(dir, 'bench.db');
const child = spawn(
  process.execPath,
  [
    ...(process.env.COLLECTOR_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.COLLECTOR_PROFILE}`] : []),
    cli,
    'collector',
    '--port',
    '0',
    '--db',
    db,
    '--rate',
    '1000000',
  ],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const url = await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
    const found = /(http:\/\/[\d.:]+)\/collect/.exec(out)?.[1];
    if (found) resolve(found);
  });
  child.once('exit', (code) => reject(new Error(`collector exited (${code}): ${out}`)));
});

const phases = [
  'queue',
  'preprocess',
  'inference',
  'postprocess',
  'total',
  'manifest',
  'network',
  'cacheRead',
  'session',
  'load',
];
const session = crypto.randomUUID();
let seq = 0;
/** One beacon as a template; each send fills in its own batch id, sequence number and time. */
const template = JSON.stringify({
  format: 'webinfer/beacon@1',
  batchId: '@BATCH@',
  sessionId: session,
  seq: 1234567890,
  sentAt: 9876543210123,
  sampleRate: 1,
  client: 'webinfer@0.1.0',
  metrics: ['vad', 'classifier'].map((model, m) => ({
    model,
    version: '1.0.0',
    backend: m ? 'webgpu' : 'wasm',
    runs: 30,
    errors: {},
    histograms: Object.fromEntries(
      phases.map((phase, i) => [
        phase,
        {
          buckets: [
            [30 + i, 20],
            [34 + i, 10],
          ],
          count: 30,
          sum: 0.5 + i / 100,
        },
      ]),
    ),
  })),
  anomalies: [],
  vitals: [{ name: 'INP', value: 120, rating: 'good', id: 'v5-1', navigationType: 'navigate' }],
  longFrames: { count: 0, duringInference: 0, blockingMs: 0, blockingMsDuringInference: 0 },
  dropped: { batches: 0, anomalies: 0, rejected: 0 },
});
function beacon() {
  seq++;
  return template
    .replace('@BATCH@', crypto.randomUUID())
    .replace('1234567890', String(seq))
    .replace('9876543210123', String(Date.now()));
}

/** CPU seconds a process has used (user + system), from /proc. */
const cpuOf = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const latencies = [];
const memory = [];
let sent = 0;
let acknowledged = 0;
let failed = 0;
let inFlight = 0;
let skipped = 0;

/** Kept-alive connections, as a browser's are; node:http costs the generator less CPU than fetch. */
const agent = new Agent({ keepAlive: true, maxSockets: 128 });
const target = new URL(`${url}/collect`);

/** POSTs one body; resolves to the status, or 0 on a network error. */
function postBody(body) {
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

async function sendOne() {
  inFlight++;
  const started = performance.now();
  const status = await postBody(beacon());
  inFlight--;
  if (status === 0) return void failed++;
  latencies.push(performance.now() - started);
  if (status === 204) acknowledged++;
  else failed++;
}

const pending = [];
const collectorCpuAtStart = cpuOf(child.pid);
const generatorCpuAtStart = process.cpuUsage();
const start = performance.now();
const tickMs = 10;
for (let tick = 0; tick < (seconds * 1000) / tickMs; tick++) {
  const due = Math.round(((tick + 1) * tickMs * rate) / 1000) - sent - skipped;
  for (let i = 0; i < due; i++) {
    if (inFlight >= maxInFlight) {
      skipped++;
      continue;
    }
    sent++;
    pending.push(sendOne());
  }
  if (tick % 100 === 0) memory.push(rssOf(child.pid));
  const next = start + (tick + 1) * tickMs;
  const wait = next - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
await Promise.all(pending);
const elapsed = (performance.now() - start) / 1000;
memory.push(rssOf(child.pid));
const collectorCpu = (cpuOf(child.pid) - collectorCpuAtStart) / elapsed;
const generatorUsage = process.cpuUsage(generatorCpuAtStart);
const generatorCpu = (generatorUsage.user + generatorUsage.system) / 1e6 / elapsed;
const exited = new Promise((resolve) => child.once('exit', resolve));
child.kill('SIGTERM');
await exited;

const reader = new Database(db, { readonly: true });
const stored = reader.prepare('SELECT count(*) AS n FROM batches').get().n;
const points = reader.prepare('SELECT count(*) AS n FROM runs, json_each(runs.histograms)').get().n;
reader.close();
rmSync(dir, { recursive: true, force: true });

latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
const lost = sent - stored;
const reached = stored / elapsed;
const verdict = (ok) => (ok ? 'PASS' : 'MISS');
console.log(
  `P10 collector: ${sent} beacons (${points} metric points stored) in ${elapsed.toFixed(1)} s = ${reached.toFixed(0)}/s ` +
    `(goal >= ${goals.rate}) ${verdict(reached >= goals.rate * 0.98 && skipped === 0)}; ` +
    `latency p50=${q(0.5).toFixed(1)}ms p99=${q(0.99).toFixed(1)}ms max=${q(1).toFixed(1)}ms (goal p99 < ${goals.p99Ms}) ` +
    `${verdict(q(0.99) < goals.p99Ms)}; lost=${lost} (answered 204 ${acknowledged}, failed ${failed}, not sent for ${maxInFlight} in flight ${skipped}) ` +
    `${verdict(lost === 0 && failed === 0 && skipped === 0)}; collector RSS ${Math.min(...memory).toFixed(0)}–${Math.max(...memory).toFixed(0)} MiB ` +
    `(first ${memory[1]?.toFixed(0)} MiB, last ${memory.at(-1)?.toFixed(0)} MiB); CPU: collector ${(collectorCpu * 100).toFixed(0)} %, ` +
    `load generator ${(generatorCpu * 100).toFixed(0)} % of one core (this machine has ${availableParallelism()})`,
);
