/**
 * The collector's query API as the dashboard reads it: every endpoint, its query and its answer,
 * in this one module, so a renamed field is fixed here and nowhere else. Times are epoch ms,
 * latencies seconds.
 */

export interface TimeRange {
  readonly from: number;
  readonly to: number;
}

/** Which model (and version: only with a model) the figures are of; none: all models. */
export interface ModelFilter {
  readonly model?: string;
  readonly version?: string;
}

export interface ModelSummary {
  readonly model: string;
  readonly version: string;
  readonly runs: number;
  readonly errors: number;
  readonly anomalies: number;
  /** Runs by backend (`webgpu`, `wasm`, ...). */
  readonly backends: Readonly<Record<string, number>>;
  /** Epoch ms of the latest figures. */
  readonly lastAt: number;
}

export interface ModelsAnswer extends TimeRange {
  readonly models: readonly ModelSummary[];
}

/** One window of the latency series; the quantiles are null when no call of the phase fell in it. */
export interface LatencyPoint {
  /** Epoch ms: the window's start. */
  readonly at: number;
  readonly runs: number;
  readonly errors: number;
  readonly count: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
}

export interface LatencyAnswer extends TimeRange {
  /** Ms per window. */
  readonly step: number;
  readonly phase: string;
  readonly points: readonly LatencyPoint[];
}

/** A phase over the whole window; the figures are null when its count is 0. */
export interface PhaseFigures {
  readonly phase: string;
  readonly count: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly mean: number | null;
}

export interface PhasesAnswer extends TimeRange {
  readonly phases: readonly PhaseFigures[];
}

export interface AnomalyRow {
  readonly at: number;
  readonly model: string;
  readonly version: string;
  readonly backend: string;
  readonly kind: string;
  readonly tensor: string;
  readonly where: string;
  readonly details: Readonly<Record<string, number | string>>;
  readonly suppressed: number;
}

export interface AnomaliesAnswer extends TimeRange {
  readonly byKind: Readonly<Record<string, number>>;
  readonly recent: readonly AnomalyRow[];
}

/**
 * A version swapped in (`update`) or given up (`rollback`: the page gave up `from` and runs `to`)
 * on a page. `reason`: what found an update (`load`, `interval`, `visible`, `manual`, `pin`), or
 * why a version was given up (`canary-failed`, `load-failed`, `errors`, `anomalies`, `manual`).
 */
export interface TransitionRow {
  readonly at: number;
  readonly model: string;
  readonly kind: 'update' | 'rollback';
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  /** An update's calls in flight on the old version at the swap; null for a rollback. */
  readonly inFlight: number | null;
  /** Ms an update spent preparing the new version (fetch, session, canary); null for a rollback. */
  readonly preparedMs: number | null;
}

export interface TransitionsAnswer extends TimeRange {
  /** The newest first. */
  readonly transitions: readonly TransitionRow[];
}

export type VitalName = 'LCP' | 'INP' | 'CLS' | 'FCP' | 'TTFB';

export interface VitalFigures {
  readonly name: VitalName;
  readonly count: number;
  /** Ms, unitless for CLS; null without reports. */
  readonly p75: number | null;
  /** Reports rated good, needs improvement and poor (counts). */
  readonly good: number;
  readonly needsImprovement: number;
  readonly poor: number;
}

export interface VitalsAnswer extends TimeRange {
  readonly vitals: readonly VitalFigures[];
}

/** A query the collector refused or could not answer, with what it said. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly path: string;
  /** The HTTP status; 0 when no answer came (the collector is down or unreachable). */
  readonly status: number;

  constructor(path: string, status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.path = path;
    this.status = status;
  }
}

export interface ApiOptions {
  /** Default: the global `fetch`, read when a query is made. */
  readonly fetch?: typeof fetch;
}

type Query = Readonly<Record<string, string | number | undefined>>;

/**
 * The query API at `base` (`new URL('../api/', location.href)` from `/dashboard/`, so the page
 * works under a reverse proxy's prefix as well).
 *
 * @example
 * const api = createApi(new URL('../api/', location.href));
 * const { models } = await api.models({ from: Date.now() - 3_600_000, to: Date.now() });
 */
export function createApi(base: URL, { fetch: fetchImpl }: ApiOptions = {}) {
  async function get<T>(path: string, query: Query, signal?: AbortSignal): Promise<T> {
    const url = new URL(path, base);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    const doFetch = fetchImpl ?? globalThis.fetch;
    let response: Response;
    try {
      response = await doFetch(url, { headers: { Accept: 'application/json' }, ...(signal ? { signal } : {}) });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ApiError(url.pathname, 0, `the collector did not answer ${url.pathname}`, { cause: error });
    }
    if (!response.ok) throw new ApiError(url.pathname, response.status, await refusalOf(response, url.pathname));
    return (await response.json()) as T;
  }
  const filtered = (range: TimeRange, filter: ModelFilter) => ({ ...range, model: filter.model, version: filter.version });
  return {
    models: (range: TimeRange, signal?: AbortSignal) => get<ModelsAnswer>('models', { ...range }, signal),
    latency: (range: TimeRange, filter: ModelFilter, phase: string, signal?: AbortSignal) =>
      get<LatencyAnswer>('latency', { ...filtered(range, filter), phase }, signal),
    phases: (range: TimeRange, filter: ModelFilter, signal?: AbortSignal) =>
      get<PhasesAnswer>('phases', filtered(range, filter), signal),
    anomalies: (range: TimeRange, filter: ModelFilter, limit: number, signal?: AbortSignal) =>
      get<AnomaliesAnswer>('anomalies', { ...filtered(range, filter), limit }, signal),
    transitions: (range: TimeRange, filter: ModelFilter, limit: number, signal?: AbortSignal) =>
      get<TransitionsAnswer>('transitions', { ...filtered(range, filter), limit }, signal),
    vitals: (range: TimeRange, signal?: AbortSignal) => get<VitalsAnswer>('vitals', { ...range }, signal),
  };
}

export type Api = ReturnType<typeof createApi>;

/** The collector's words for a refusal: `{ error: 'query', field, expected, received }` or a message. */
async function refusalOf(response: Response, path: string): Promise<string> {
  const prefix = `${path} answered ${response.status}`;
  try {
    const body = (await response.json()) as Record<string, unknown>;
    if (typeof body.field === 'string') {
      return `${prefix}: ${body.field} should be ${String(body.expected)}, was ${JSON.stringify(body.received)}`;
    }
    if (typeof body.message === 'string') return `${prefix}: ${body.message}`;
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  return prefix;
}
