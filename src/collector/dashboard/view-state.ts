import { loadPhases, runPhases } from '../../monitor/metrics.js';
import type { ModelFilter, TimeRange } from './api.js';

/** The time ranges the header offers, in ms. */
export const ranges = {
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
  '6h': 6 * 60 * 60_000,
  '24h': 24 * 60 * 60_000,
  '7d': 7 * 24 * 60 * 60_000,
} as const;

export type RangeKey = keyof typeof ranges;

export const rangeLabels: Readonly<Record<RangeKey, string>> = {
  '15m': '15 min',
  '1h': '1 h',
  '6h': '6 h',
  '24h': '24 h',
  '7d': '7 d',
};

/** Phases the latency chart can show: a run's, then a load's (src/monitor/metrics.ts names them). */
export const chartPhases: readonly string[] = [...runPhases, ...loadPhases];

/** What the operator chose; kept in the page's query string, so a view can be linked and reloaded. */
export interface ViewState {
  readonly range: RangeKey;
  readonly filter: ModelFilter;
  readonly phase: string;
  readonly paused: boolean;
}

const isRange = (value: string | null): value is RangeKey => value !== null && Object.hasOwn(ranges, value);

/** The view a query string asks for; what it lacks or gets wrong falls back to the last hour of every model. */
export function viewFromQuery(search: string): ViewState {
  const params = new URLSearchParams(search);
  const range = params.get('range');
  const model = params.get('model') || undefined;
  const version = (model && params.get('version')) || undefined;
  const phase = params.get('phase');
  return {
    range: isRange(range) ? range : '1h',
    filter: { ...(model ? { model } : {}), ...(version ? { version } : {}) },
    phase: phase && chartPhases.includes(phase) ? phase : 'total',
    paused: params.get('paused') === '1',
  };
}

/** The query string of a view, without its defaults. */
export function queryOfView(view: ViewState): string {
  const params = new URLSearchParams();
  if (view.range !== '1h') params.set('range', view.range);
  if (view.filter.model) params.set('model', view.filter.model);
  if (view.filter.model && view.filter.version) params.set('version', view.filter.version);
  if (view.phase !== 'total') params.set('phase', view.phase);
  if (view.paused) params.set('paused', '1');
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** The window a range means now: its last `ranges[range]` ms, to the second. */
export function timeRangeOf(range: RangeKey, now: number): TimeRange {
  const to = Math.ceil(now / 1000) * 1000;
  return { from: to - ranges[range], to };
}
