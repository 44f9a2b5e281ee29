import type { Emitter } from '../lib/emitter.js';
import type { ModelMetrics } from '../monitor/metrics.js';
import type { RuntimeEvents } from '../types.js';
import { version } from '../version.js';
import { anomalyRecord, makeBeacons, transitionRecord } from './batches.js';
import { type AnomalyRecord, type Beacon, beaconLimits, type TransitionRecord } from './beacon.js';
import { MetricsDeltas } from './metrics-delta.js';
import { otlpBodies } from './otlp.js';
import { Outbox, type Parcel } from './outbox.js';
import { type PageMetrics, PageSignals } from './page-signals.js';
import { handOver, post } from './transport.js';

/** `createRuntime({ telemetry })`, checked and with its defaults. */
export interface TelemetrySettings {
  /** An absolute URL: the collector's `/collect`, or an OTLP/HTTP base (`…/v1/metrics` is added). */
  readonly endpoint: string;
  readonly transport: 'collector' | 'otlp';
  readonly intervalMs: number;
  readonly sampleRate: number;
  readonly maxQueuedBatches: number;
  readonly webVitals: boolean;
}

/** Only one agent of an origin sends the queued batches at a time (a batch once, not per tab). */
const drainLock = 'webinfer-telemetry-outbox';
const drainBatch = 20;

/**
 * A runtime's telemetry: every `intervalMs`, when the page is hidden and when the runtime closes,
 * what changed (metrics deltas, anomalies, web-vitals, long frames) goes out as beacons of at most
 * 32 KiB; a batch the endpoint did not take waits in IndexedDB and goes when it answers again,
 * in this visit or a later one; on `pagehide` the last batch is handed to `sendBeacon`. A session
 * outside `sampleRate` sends nothing. Nothing here can fail a load or a run: every error ends in
 * a dropped batch, counted in the next beacon.
 */
export class Telemetry {
  readonly #settings: TelemetrySettings;
  readonly #metrics: () => readonly ModelMetrics[];
  readonly #sessionId = crypto.randomUUID();
  readonly #sampled: boolean;
  readonly #deltas = new MetricsDeltas();
  readonly #outbox: Outbox;
  readonly #signals = new PageSignals();
  readonly #cleanup: (() => void)[] = [];
  #seq = 0;
  #since = Date.now();
  #anomalies: AnomalyRecord[] = [];
  #transitions: TransitionRecord[] = [];
  #droppedAnomalies = 0;
  #rejected = 0;
  /** Flushes and drains, one after another: a parcel is never in two sends at once. */
  #work: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(settings: TelemetrySettings, metrics: () => readonly ModelMetrics[], events: Emitter<RuntimeEvents>) {
    this.#settings = settings;
    this.#metrics = metrics;
    this.#sampled = Math.random() < settings.sampleRate;
    this.#outbox = new Outbox(settings.maxQueuedBatches);
    this.#signals.start(settings.webVitals);
    this.#cleanup.push(
      events.on('anomaly', (event) => {
        if (!this.#sampled) return;
        if (this.#anomalies.length < beaconLimits.anomalies) this.#anomalies.push(anomalyRecord(event));
        else this.#droppedAnomalies++;
      }),
      events.on('update', (event) => this.#transition(transitionRecord('update', event))),
      events.on('rollback', (event) => this.#transition(transitionRecord('rollback', event))),
    );
    const timer = setInterval(() => void this.flush(), settings.intervalMs);
    this.#cleanup.push(() => clearInterval(timer));
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') void this.flush();
    };
    const onPageHide = () => this.#handOverAll();
    globalThis.document?.addEventListener('visibilitychange', onVisibility);
    globalThis.addEventListener?.('pagehide', onPageHide);
    this.#cleanup.push(() => {
      globalThis.document?.removeEventListener('visibilitychange', onVisibility);
      globalThis.removeEventListener?.('pagehide', onPageHide);
    });
    // Batches an earlier visit could not deliver.
    this.#enqueue(() => this.#drain());
  }

  /** A model call that took `roundTripMs` and ended at `end` (long frames are judged against it). */
  ran(roundTripMs: number, end: number): void {
    this.#signals.ran(roundTripMs, end);
  }

  page(): PageMetrics {
    return this.#signals.summary();
  }

  /** Sends what changed since the last flush; what the endpoint does not take is queued. */
  flush(): Promise<void> {
    return this.#enqueue(async () => {
      const parcels = this.#collect();
      const failed: Parcel[] = [];
      for (const parcel of parcels) {
        const outcome = await post(parcel);
        if (outcome === 'retry') failed.push(parcel);
        else if (outcome === 'rejected') this.#rejected++;
      }
      if (failed.length > 0) await this.#outbox.put(failed);
      // The endpoint answered (or was not asked): whatever waits for it may go now.
      else await this.#drain();
    });
  }

  /** Stops the timers and listeners after a last flush. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const undo of this.#cleanup) undo();
    await this.flush();
    this.#signals.stop();
    this.#outbox.close();
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    this.#work = this.#work.then(task).catch(() => undefined);
    return this.#work;
  }

  /** The page is going away: no answer can be awaited, so the browser gets the last batch. */
  #handOverAll(): void {
    for (const parcel of this.#collect()) {
      void handOver(parcel).then((taken) => (taken ? undefined : this.#outbox.put([parcel])));
    }
  }

  /** Queued batches, oldest first, until the endpoint fails one (it is down: later). */
  async #drain(): Promise<void> {
    const locks = (globalThis.navigator as { locks?: LockManager } | undefined)?.locks;
    const drain = async () => {
      for (;;) {
        const queued = await this.#outbox.peek(drainBatch);
        const done: number[] = [];
        let down = false;
        for (const { key, parcel } of queued) {
          const outcome = await post(parcel);
          if (outcome === 'retry') {
            down = true;
            break;
          }
          if (outcome === 'rejected') this.#rejected++;
          done.push(key);
        }
        await this.#outbox.remove(done);
        if (down || queued.length < drainBatch) return;
      }
    };
    if (!locks) return drain();
    // Another tab is sending them: leave it to that tab.
    await locks.request(drainLock, { ifAvailable: true }, (lock) => (lock ? drain() : undefined));
  }

  /** Every transition is sent (a page makes few); past the limit of one flush, the oldest go. */
  #transition(record: TransitionRecord): void {
    if (!this.#sampled) return;
    this.#transitions.push(record);
    if (this.#transitions.length > beaconLimits.transitions) this.#transitions.shift();
  }

  /** What changed since the last call, as parcels for the endpoint. */
  #collect(): Parcel[] {
    const metrics = this.#deltas.next(this.#metrics());
    const anomalies = this.#anomalies;
    this.#anomalies = [];
    const transitions = this.#transitions;
    this.#transitions = [];
    const vitals = this.#signals.takeVitals();
    const longFrames = this.#signals.takeLongFrames();
    const since = this.#since;
    this.#since = Date.now();
    if (!this.#sampled) return [];
    const dropped = { batches: this.#outbox.takeDropped(), anomalies: this.#droppedAnomalies, rejected: this.#rejected };
    this.#droppedAnomalies = 0;
    this.#rejected = 0;
    const beacons = makeBeacons(
      { metrics, anomalies, vitals, transitions, longFrames, dropped },
      {
        sessionId: this.#sessionId,
        sampleRate: this.#settings.sampleRate,
        client: `webinfer@${version}`,
        nextSeq: () => ++this.#seq,
        now: Date.now,
      },
    );
    return beacons.flatMap((beacon) => this.#parcels(beacon, since));
  }

  #parcels(beacon: Beacon, since: number): Parcel[] {
    const { endpoint, transport } = this.#settings;
    const parcel = (suffix: string, url: string, contentType: string, body: unknown): Parcel => ({
      batchId: beacon.batchId + suffix,
      url,
      contentType,
      body: JSON.stringify(body),
      createdAt: beacon.sentAt,
    });
    if (transport === 'collector') return [parcel('', endpoint, 'text/plain;charset=UTF-8', beacon)];
    const { metrics, logs } = otlpBodies(beacon, since);
    const parcels = [parcel('/metrics', otlpUrl(endpoint, 'metrics'), 'application/json', metrics)];
    if (logs) parcels.push(parcel('/logs', otlpUrl(endpoint, 'logs'), 'application/json', logs));
    return parcels;
  }
}

/** `<endpoint>/v1/<signal>`, the endpoint's query (an ingest token) kept after the path. */
function otlpUrl(endpoint: string, signal: 'metrics' | 'logs'): string {
  const url = new URL(endpoint);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/${signal}`;
  return url.href;
}
