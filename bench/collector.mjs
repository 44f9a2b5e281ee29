/**
 * `npm run bench:collector` (after `npm run build`): P10, the collector under load. Starts
 * `webinfer collector` as users run it (its own process, a fresh SQLite file), then sends beacons
 * of 20 metric points each (two models, ten phase histograms apiece) at a fixed rate on loopback,
 * open loop: each second's beacons leave on schedule whether or not earlier ones were answered
 * (at most 512 in flight, over up to 128 kept-alive connections). The first `--warmup` seconds
 * (5) run at the same rate but are judged apart: a freshly started process answers slowly
 * while V8 compiles its hot paths and the connections open, and P10 is about the collector at
 * work, not at boot; the cold start's own latency is printed beside it. Prints the rate
 * reached, latency percentiles, beacons lost (answered 204 but not stored, or not answered)
 * over the whole run, and the collector's memory.
 * `node bench/collector.mjs --rate 2000 --seconds 60 --warmup 5` (the defaults).
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
const warmupSeconds = arg('warmup', 5);
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
const warmupLatencies = [];
/** Answers slower than the p99 goal, by second of the run (warm-up included): where the stalls were. */
const slowBySecond = new Map();
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

async function sendOne(warmingUp) {
  inFlight++;
  const started = performance.now();
  const status = await postBody(beacon());
  inFlight--;
  if (status === 0) return void failed++;
  const ms = performance.now() - started;
  (warmingUp ? warmupLatencies : latencies).push(ms);
  if (ms > goals.p99Ms) {
    const second = Math.floor((started - start) / 1000);
    slowBySecond.set(second, (slowBySecond.get(second) ?? 0) + 1);
  }
  if (status === 204) acknowledged++;
  else failed++;
}

const pending = [];
let collectorCpuAtStart = cpuOf(child.pid);
let generatorCpuAtStart = process.cpuUsage();
const start = performance.now();
const tickMs = 10;
const warmupTicks = (warmupSeconds * 1000) / tickMs;
let sentInWarmup = 0;
let skippedInWarmup = 0;
for (let tick = 0; tick < warmupTicks + (seconds * 1000) / tickMs; tick++) {
  if (tick === warmupTicks) {
    // The measured run starts here; the rate's schedule goes on without a break.
    collectorCpuAtStart = cpuOf(child.pid);
    generatorCpuAtStart = process.cpuUsage();
    sentInWarmup = sent;
    skippedInWarmup = skipped;
    memory.length = 0;
  }
  const due = Math.round(((tick + 1) * tickMs * rate) / 1000) - sent - skipped;
  for (let i = 0; i < due; i++) {
    if (inFlight >= maxInFlight) {
      skipped++;
      continue;
    }
    sent++;
    pending.push(sendOne(tick < warmupTicks));
  }
  if (tick % 100 === 0) memory.push(rssOf(child.pid));
  const next = start + (tick + 1) * tickMs;
  const wait = next - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
await Promise.all(pending);
const elapsed = (performance.now() - start) / 1000 - warmupSeconds;
const stalls = [...slowBySecond].map(([second, n]) => `${second}s:${n}`).join(' ');
memory.push(rssOf(child.pid));
const collectorCpu = (cpuOf(child.pid) - collectorCpuAtStart) / elapsed;
const generatorUsage = process.cpuUsage(generatorCpuAtStart);
const generatorCpu = (generatorUsage.user + generatorUsage.system) / 1e6 / elapsed;
const exited = new Promise((resolve) => child.once('exit', resolve));
child.kill('SIGTERM');
await exited;

const reader = new Database(db, { readonly: true });
const stored = reader.prepare('SELECT count(*) AS n FROM batches').get().n;
const calls = reader.prepare('SELECT sum(runs) AS n FROM run_minutes').get().n;
reader.close();
rmSync(dir, { recursive: true, force: true });

const quantiles = (values) => {
  values.sort((a, b) => a - b);
  return (p) => values[Math.min(values.length - 1, Math.floor(p * values.length))] ?? Number.NaN;
};
const q = quantiles(latencies);
const cold = quantiles(warmupLatencies);
const lost = sent - stored;
const reached = (stored - sentInWarmup) / elapsed;
const verdict = (ok) => (ok ? 'PASS' : 'MISS');
console.log(
  `P10 collector: ${sent - sentInWarmup} beacons of 20 metric points in ${elapsed.toFixed(1)} s after ${warmupSeconds} s of warm-up = ${reached.toFixed(0)}/s ` +
    `(goal >= ${goals.rate}) ${verdict(reached >= goals.rate * 0.98 && skipped === skippedInWarmup)}; ` +
    `latency p50=${q(0.5).toFixed(1)}ms p99=${q(0.99).toFixed(1)}ms max=${q(1).toFixed(1)}ms (goal p99 < ${goals.p99Ms}) ` +
    `${verdict(q(0.99) < goals.p99Ms)}; lost=${lost} of all ${sent} (answered 204 ${acknowledged}, failed ${failed}, not sent for ${maxInFlight} in flight ${skipped - skippedInWarmup}, and ${skippedInWarmup} in the warm-up; ` +
    `calls stored ${calls} of ${sent * 60}) ${verdict(lost === 0 && failed === 0 && calls === sent * 60)}; ` +
    `cold start (warm-up) p50=${cold(0.5).toFixed(1)}ms p99=${cold(0.99).toFixed(1)}ms max=${cold(1).toFixed(1)}ms; ` +
    `collector RSS ${Math.min(...memory).toFixed(0)}–${Math.max(...memory).toFixed(0)} MiB ` +
    `(first ${memory[1]?.toFixed(0)} MiB, last ${memory.at(-1)?.toFixed(0)} MiB); CPU: collector ${(collectorCpu * 100).toFixed(0)} %, ` +
    `load generator ${(generatorCpu * 100).toFixed(0)} % of one core (this machine has ${availableParallelism()}); ` +
    `answers over ${goals.p99Ms} ms by second of the run: ${stalls || 'none'}`,
);
