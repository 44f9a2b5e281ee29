import { refuse } from '../errors.js';
import type { Emitter } from '../lib/emitter.js';
import type { ModelMetrics } from '../monitor/metrics.js';
import type { PageMetrics } from '../telemetry/page-signals.js';
import type { Telemetry, TelemetrySettings } from '../telemetry/telemetry.js';
import type { RuntimeEvents } from '../types.js';

/** `createRuntime({ telemetry })`: where and how the runtime reports on its models. */
export interface TelemetryOptions {
  /**
   * Where beacons go: the collector's `/collect` URL (put its ingest token in the query, which
   * needs no header and so no CORS preflight), or with `transport: 'otlp'` the base URL of an
   * OTLP/HTTP receiver (`/v1/metrics` and `/v1/logs` are added). Relative URLs resolve against
   * the page.
   */
  endpoint: string;
  /** `'collector'` (default): webinfer's beacon, `text/plain` JSON. `'otlp'`: OTLP/HTTP JSON. */
  transport?: 'collector' | 'otlp';
  /** Ms between beacons while the page is visible. Default 30 000. */
  intervalMs?: number;
  /** The fraction of sessions that send anything, decided once per runtime. Default 1. */
  sampleRate?: number;
  /** Batches kept in IndexedDB while the endpoint is unreachable. Default 100 (oldest dropped). */
  maxQueuedBatches?: number;
  /** Report the page's web-vitals too. Default true. */
  webVitals?: boolean;
}

/**
 * The runtime's telemetry, loaded as a chunk of its own when the runtime is created (its code
 * and web-vitals stay out of pages that do not ask for telemetry). Until it arrives, calls are
 * no-ops: nothing waits for telemetry, and a chunk that fails to load costs only telemetry.
 */
export class TelemetryHandle {
  readonly #loading: Promise<Telemetry | undefined>;
  #ready: Telemetry | undefined;

  constructor(settings: TelemetrySettings, metrics: () => readonly ModelMetrics[], events: Emitter<RuntimeEvents>) {
    this.#loading = import('../telemetry/telemetry.js').then(
      ({ Telemetry }) => {
        this.#ready = new Telemetry(settings, metrics, events);
        return this.#ready;
      },
      (error: unknown) => {
        globalThis.reportError?.(error);
        return undefined;
      },
    );
  }

  ran(roundTripMs: number, end: number): void {
    this.#ready?.ran(roundTripMs, end);
  }

  page(): PageMetrics | undefined {
    return this.#ready?.page();
  }

  async flush(): Promise<void> {
    await (await this.#loading)?.flush();
  }

  async close(): Promise<void> {
    await (await this.#loading)?.close();
  }
}

const transports = ['collector', 'otlp'] as const;
const telemetryKeys = ['endpoint', 'transport', 'intervalMs', 'sampleRate', 'maxQueuedBatches', 'webVitals'];

/** Checks `createRuntime({ telemetry })`, refusing a bad value with `invalid-options` naming it. */
export function checkTelemetry(options: TelemetryOptions, base: string | undefined): TelemetrySettings {
  if (typeof options !== 'object' || options === null) return refuse('telemetry', '{ endpoint, … }', options);
  const unknown = Object.keys(options).find((key) => !telemetryKeys.includes(key));
  if (unknown !== undefined) refuse(`telemetry.${unknown}`, `one of ${telemetryKeys.join(', ')}`, unknown);
  const {
    endpoint,
    transport = 'collector',
    intervalMs = 30_000,
    sampleRate = 1,
    maxQueuedBatches = 100,
    webVitals = true,
  } = options;
  let url: URL | undefined;
  try {
    url = new URL(endpoint, base);
  } catch {
    refuse('telemetry.endpoint', 'an http(s) URL', endpoint);
  }
  if (typeof endpoint !== 'string' || !url || !['http:', 'https:'].includes(url.protocol))
    refuse('telemetry.endpoint', 'an http(s) URL', endpoint);
  if (!transports.includes(transport)) refuse('telemetry.transport', transports.join(' or '), transport);
  if (!Number.isFinite(intervalMs) || intervalMs < 100) refuse('telemetry.intervalMs', 'a number of ms >= 100', intervalMs);
  if (!(sampleRate >= 0 && sampleRate <= 1)) refuse('telemetry.sampleRate', 'a number from 0 to 1', sampleRate);
  if (!Number.isInteger(maxQueuedBatches) || maxQueuedBatches < 0)
    refuse('telemetry.maxQueuedBatches', 'an integer >= 0', maxQueuedBatches);
  if (typeof webVitals !== 'boolean') refuse('telemetry.webVitals', 'a boolean', webVitals);
  return { endpoint: String(url), transport, intervalMs, sampleRate, maxQueuedBatches, webVitals };
}
