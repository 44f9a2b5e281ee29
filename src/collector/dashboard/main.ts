import 'uplot/dist/uPlot.min.css';
import './styles/theme.css';
import './styles/header.css';
import './styles/layout.css';
import './styles/charts.css';
import './styles/tables.css';
import './styles/vitals.css';
import { ApiError, createApi, type ModelFilter } from './api.js';
import { createCallsChart } from './charts/calls-chart.js';
import { createLatencyChart } from './charts/latency-chart.js';
import { bindControls } from './controls.js';
import { byId } from './lib/by-id.js';
import { formatWhen } from './lib/format-time.js';
import { loadSnapshot } from './load-snapshot.js';
import { createRefreshLoop } from './refresh-loop.js';
import { type Panels, renderSnapshot } from './render-snapshot.js';
import { queryOfView, timeRangeOf, type ViewState, viewFromQuery } from './view-state.js';

/**
 * The dashboard page: reads the collector's query API (`../api/`, beside `/dashboard/`) every
 * 10 s and draws it. The view (range, model, phase, paused) lives in the query string.
 */

// Relative to the page, so a collector behind a reverse proxy's prefix works as it is.
const api = createApi(new URL('../api/', location.href));
const collectUrl = new URL('../collect', location.href).href;

byId('origin', HTMLElement).textContent = location.host;
byId('onboarding-code', HTMLElement).textContent =
  `import { createRuntime } from 'webinfer';\n\nconst runtime = createRuntime({\n  telemetry: { endpoint: '${collectUrl}' },\n});`;

const panels: Panels = {
  onboarding: byId('onboarding', HTMLElement),
  onboardingRange: byId('onboarding-range', HTMLElement),
  panels: byId('panels', HTMLElement),
  tiles: byId('tiles', HTMLElement),
  latency: createLatencyChart(byId('latency-chart', HTMLElement)),
  latencyEmpty: byId('latency-empty', HTMLElement),
  calls: createCallsChart(byId('calls-chart', HTMLElement)),
  callsEmpty: byId('calls-empty', HTMLElement),
  models: byId('models', HTMLElement),
  phases: byId('phases', HTMLElement),
  backends: byId('backends', HTMLElement),
  anomalies: byId('anomalies', HTMLElement),
  transitions: byId('transitions', HTMLElement),
  transitionsNote: byId('transitions-note', HTMLElement),
  vitals: byId('vitals', HTMLElement),
};
const problem = byId('problem', HTMLElement);

const initial = viewFromQuery(location.search);
const controls = bindControls(
  {
    model: byId('model-select', HTMLSelectElement),
    range: byId('range', HTMLElement),
    phase: byId('phase-select', HTMLSelectElement),
    refresh: byId('refresh-toggle', HTMLButtonElement),
    status: byId('status', HTMLElement),
  },
  initial,
  onViewChange,
);
const loop = createRefreshLoop(refresh, { paused: initial.paused });
loop.now();

const hrefOf = (filter: ModelFilter) => queryOfView({ ...controls.view, filter }) || location.pathname;

let current = initial;
let updatedAt: string | undefined;

function onViewChange(view: ViewState): void {
  const pausedBefore = current.paused;
  current = view;
  history.replaceState(null, '', queryOfView(view) || location.pathname);
  if (view.paused === pausedBefore) loop.now();
  else if (view.paused) {
    loop.setPaused(true);
    controls.setStatus(updatedAt ? `Paused · ${updatedAt}` : 'Paused', 'paused');
  } else loop.setPaused(false);
}

async function refresh(signal: AbortSignal): Promise<void> {
  const view = controls.view;
  controls.setStatus('Updating…', 'busy');
  try {
    const snapshot = await loadSnapshot(api, view, timeRangeOf(view.range, Date.now()), signal);
    controls.setModels(snapshot.models.models);
    renderSnapshot(panels, snapshot, { hrefOf, onSelect: (filter) => controls.select({ filter }) });
    problem.hidden = true;
    updatedAt = formatWhen(Date.now());
    controls.setStatus(view.paused ? `Paused · ${updatedAt}` : `Updated ${updatedAt}`, view.paused ? 'paused' : 'ok');
  } catch (error) {
    if (signal.aborted) return;
    const message = error instanceof ApiError ? error.message : `could not draw the page: ${String(error)}`;
    problem.textContent = `${message[0]?.toUpperCase() ?? ''}${message.slice(1)}. The page shows what it last read, and tries again in 10 s.`;
    problem.hidden = false;
    controls.setStatus(error instanceof ApiError && error.status === 0 ? 'Unreachable' : 'Failed', 'bad', message);
    // Not an answer from the collector: a bug of the page, for its console as well.
    if (!(error instanceof ApiError)) reportError(error);
  }
}
