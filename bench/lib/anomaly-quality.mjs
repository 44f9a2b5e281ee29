/**
 * The anomaly-quality figure: webinfer's own detectors (the worker's `RunMonitor`, the page's
 * `LatencyWatch`, imported from source through Vite's module runner, so no browser is needed)
 * fed seeded streams (see anomaly-streams.mjs). The monitoring section comes from a separate
 * reference sample through the code `webinfer manifest --samples` uses. Per seed: how many calls
 * after each injection its anomaly is first reported, and on a clean stream, the share of calls
 * at which any detector reports anything (each call closes one sliding window: a false-alarm
 * window).
 */
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';
import { runnerImport } from 'vite';
import { injections, stream } from './anomaly-streams.mjs';

/** @typedef {import('./anomaly-streams.mjs').Injection} Injection */
/** @typedef {import('./anomaly-streams.mjs').Call} Call */
/** @typedef {{ kind: string, tensor: string }} Found */
/**
 * @typedef {object} Detectors
 * @property {new (config: unknown) => { inputs(feeds: object): Found[], outputs(tensors: object, outputs: object): Found[] }} RunMonitor
 * @property {new () => { latency(ms: number): Found | undefined }} LatencyWatch
 * @property {(set: object) => unknown} monitoringFromSamples
 * @property {v.GenericSchema} monitoringSchema
 */

const cleanCalls = 10_000;
const referenceRows = 20_000;
/** Clean calls before an injection: every window full, the latency watch warmed up. */
const injectAt = 1_000;
/** Calls watched after an injection before it counts as missed. */
const watchFor = 2_000;

/**
 * @typedef {{ seeds: number[], cleanCalls: number, referenceRows: number,
 *   delays: Record<Injection, (number | null)[]>, falseAlarmRates: number[], falseAlarmsByKind: Record<string, number>,
 *   usPerCall: number }} AnomalySummary
 */

/** @returns {Promise<Detectors>} */
async function loadDetectors() {
  /** @param {string} path */
  const load = async (path) =>
    (await runnerImport(fileURLToPath(new URL(path, import.meta.url)), { configFile: false, logLevel: 'warn' })).module;
  const [{ RunMonitor }, { LatencyWatch }, { monitoringFromSamples }, { monitoringSchema }] = await Promise.all([
    load('../../src/monitor/detect.ts'),
    load('../../src/monitor/latency-watch.ts'),
    load('../../src/cli/lib/monitoring-from-samples.ts'),
    load('../../src/monitor/schema.ts'),
  ]);
  return { RunMonitor, LatencyWatch, monitoringFromSamples, monitoringSchema };
}

/** @param {Float32Array} data */
const row = (data) => ({ type: 'float32', data, dims: [1, data.length] });

/**
 * The monitoring section `webinfer manifest --samples` would write from `referenceRows` clean
 * calls of another seed, checked by the schema the runtime loads it with.
 *
 * @param {Detectors} detectors
 * @param {number} seed
 */
function referenceMonitoring({ monitoringFromSamples, monitoringSchema }, seed) {
  const next = stream(seed);
  const calls = Array.from({ length: referenceRows }, (_, i) => next(i));
  const monitoring = monitoringFromSamples({
    tensors: { x: calls.map((c) => Array.from(c.x)), logits: calls.map((c) => Array.from(c.logits)) },
    confidence: { output: 'logits', rows: calls.map((c) => Array.from(c.probs)) },
  });
  return v.parse(monitoringSchema, monitoring);
}

/**
 * One call through the detectors, as the worker and the page would see it: the row fed, the raw
 * logits, their softmax after postprocessing, the round trip's latency.
 *
 * @param {{ monitor: InstanceType<Detectors['RunMonitor']>, watch: InstanceType<Detectors['LatencyWatch']> }} detectors
 * @param {Call} call
 */
function observe({ monitor, watch }, call) {
  const found = [
    ...monitor.inputs({ x: row(call.x) }),
    ...monitor.outputs({ logits: row(call.logits) }, { logits: row(call.probs) }),
  ];
  const spike = watch.latency(call.latencyMs);
  return spike ? [...found, spike] : found;
}

/**
 * @param {{ seeds?: number[] }} [options]
 * @returns {Promise<AnomalySummary>}
 */
export async function anomalyQuality({ seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] } = {}) {
  const detectors = await loadDetectors();
  const fresh = (/** @type {unknown} */ monitoring) => ({
    monitor: new detectors.RunMonitor(monitoring),
    watch: new detectors.LatencyWatch(),
  });
  const names = /** @type {Injection[]} */ (Object.keys(injections));
  /** @type {Record<Injection, (number | null)[]>} */
  const delays = {
    'nan-burst': [],
    'range-violation': [],
    'mean-shift-0.5sd': [],
    'confidence-collapse': [],
    'latency-spike': [],
  };
  /** @type {number[]} */
  const falseAlarmRates = [];
  /** @type {Record<string, number>} */
  const falseAlarmsByKind = {};
  let calls = 0;
  let busyMs = 0;
  for (const seed of seeds) {
    const monitoring = referenceMonitoring(detectors, seed + 1_000_000);
    const clean = fresh(monitoring);
    const next = stream(seed);
    let windows = 0;
    for (let i = 0; i < cleanCalls; i++) {
      const call = next(i);
      const started = performance.now();
      const found = observe(clean, call);
      busyMs += performance.now() - started;
      if (found.length > 0) windows++;
      for (const { kind } of found) falseAlarmsByKind[kind] = (falseAlarmsByKind[kind] ?? 0) + 1;
    }
    calls += cleanCalls;
    falseAlarmRates.push(windows / cleanCalls);
    for (const name of names) {
      const { kind, tensor } = injections[name];
      const watched = fresh(monitoring);
      const injected = stream(seed, { injection: name, at: injectAt });
      let delay = null;
      for (let i = 0; i < injectAt + watchFor && delay === null; i++) {
        const found = observe(watched, injected(i));
        if (i >= injectAt && found.some((a) => a.kind === kind && a.tensor === tensor)) delay = i - injectAt + 1;
      }
      delays[name].push(delay);
    }
  }
  return { seeds, cleanCalls, referenceRows, delays, falseAlarmRates, falseAlarmsByKind, usPerCall: (busyMs * 1000) / calls };
}
