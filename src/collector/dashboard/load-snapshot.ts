import type {
  AnomaliesAnswer,
  Api,
  LatencyAnswer,
  ModelsAnswer,
  PhasesAnswer,
  TimeRange,
  TransitionsAnswer,
  VitalsAnswer,
} from './api.js';
import type { ViewState } from './view-state.js';

/** Everything one refresh of the page shows, read at one instant. */
export interface Snapshot {
  readonly range: TimeRange;
  readonly view: ViewState;
  readonly models: ModelsAnswer;
  readonly latency: LatencyAnswer;
  readonly phases: PhasesAnswer;
  readonly anomalies: AnomaliesAnswer;
  readonly transitions: TransitionsAnswer;
  readonly vitals: VitalsAnswer;
}

/** Rows of the recent-anomalies table. */
export const recentAnomalies = 20;

/** Rows of the model-updates table. */
export const recentTransitions = 20;

/** The six queries of one refresh, in parallel; the first to fail fails the refresh (the page keeps the last one). */
export async function loadSnapshot(api: Api, view: ViewState, range: TimeRange, signal?: AbortSignal): Promise<Snapshot> {
  const [models, latency, phases, anomalies, transitions, vitals] = await Promise.all([
    api.models(range, signal),
    api.latency(range, view.filter, view.phase, signal),
    api.phases(range, view.filter, signal),
    api.anomalies(range, view.filter, recentAnomalies, signal),
    api.transitions(range, view.filter, recentTransitions, signal),
    api.vitals(range, signal),
  ]);
  return { range, view, models, latency, phases, anomalies, transitions, vitals };
}
