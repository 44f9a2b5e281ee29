import type { ModelFilter } from './api.js';
import { callsData } from './charts/calls-chart.js';
import { latencyData } from './charts/latency-chart.js';
import type { TimeChart } from './charts/time-chart.js';
import { modelsInView } from './lib/models-in-view.js';
import { recentTransitions, type Snapshot } from './load-snapshot.js';
import { renderAnomalies } from './panels/anomalies.js';
import { renderBackends } from './panels/backends.js';
import { renderModelsTable } from './panels/models-table.js';
import { renderPhasesTable } from './panels/phases-table.js';
import { renderTiles } from './panels/tiles.js';
import { renderTransitions, transitionsSummary } from './panels/transitions.js';
import { renderVitals } from './panels/vitals.js';
import { rangeLabels } from './view-state.js';

/** Where a snapshot is drawn: the page's containers and its two charts. */
export interface Panels {
  readonly onboarding: HTMLElement;
  readonly onboardingRange: HTMLElement;
  readonly panels: HTMLElement;
  readonly tiles: HTMLElement;
  readonly latency: TimeChart;
  readonly latencyEmpty: HTMLElement;
  readonly calls: TimeChart;
  readonly callsEmpty: HTMLElement;
  readonly models: HTMLElement;
  readonly phases: HTMLElement;
  readonly backends: HTMLElement;
  readonly anomalies: HTMLElement;
  readonly transitions: HTMLElement;
  readonly transitionsNote: HTMLElement;
  readonly vitals: HTMLElement;
}

export interface RenderOptions {
  /** The page's link for a filter (its query string). */
  hrefOf(filter: ModelFilter): string;
  onSelect(filter: ModelFilter): void;
}

/** A collector with nothing in the range for anyone: the page says how to send beacons instead of drawing empty panels. */
function isEmpty(snapshot: Snapshot): boolean {
  return (
    snapshot.models.models.length === 0 &&
    snapshot.vitals.vitals.every((vital) => vital.count === 0) &&
    snapshot.anomalies.recent.length === 0 &&
    snapshot.transitions.transitions.length === 0 &&
    !snapshot.view.filter.model
  );
}

/**
 * The charts' x range: whole windows, from the first one's start to the last one's end, so the
 * window still filling up (the current minute) is drawn as wide as the others.
 */
function chartWindow(snapshot: Snapshot): { from: number; to: number } {
  const { points, step } = snapshot.latency;
  const first = points[0];
  const last = points.at(-1);
  return first && last ? { from: first.at, to: last.at + step } : snapshot.range;
}

/** Draws every panel of the page from one snapshot. */
export function renderSnapshot(panels: Panels, snapshot: Snapshot, options: RenderOptions): void {
  const empty = isEmpty(snapshot);
  panels.onboarding.hidden = !empty;
  panels.panels.hidden = empty;
  if (empty) {
    panels.onboardingRange.textContent = `Nothing arrived in the last ${rangeLabels[snapshot.view.range]}.`;
    return;
  }
  const { from, to } = chartWindow(snapshot);
  const models = modelsInView(snapshot.models.models, snapshot.view.filter);
  renderTiles(panels.tiles, snapshot);

  const timed = snapshot.latency.points.some((point) => point.count > 0);
  panels.latency.update(latencyData(snapshot.latency), from, to);
  panels.latencyEmpty.hidden = timed;
  panels.latencyEmpty.textContent = `No ${snapshot.latency.phase} timings in this range.`;
  panels.calls.update(callsData(snapshot.latency), from, to);
  panels.callsEmpty.hidden = snapshot.latency.points.some((point) => point.runs + point.errors > 0);

  renderModelsTable(panels.models, snapshot.models.models, { selected: snapshot.view.filter, ...options });
  renderPhasesTable(panels.phases, snapshot.phases.phases);
  renderBackends(panels.backends, models);
  renderAnomalies(panels.anomalies, snapshot.anomalies);
  renderTransitions(panels.transitions, snapshot.transitions.transitions);
  panels.transitionsNote.textContent =
    snapshot.transitions.transitions.length > 0
      ? transitionsSummary(snapshot.transitions.transitions, recentTransitions)
      : 'versions swapped in and given up';
  renderVitals(panels.vitals, snapshot.vitals.vitals);
}
