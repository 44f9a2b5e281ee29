import '../styles/theme.css';
import '../styles/layout.css';
import '../styles/components.css';
import '../styles/panels.css';
import { type Backend, createRuntime } from 'webinfer';
import { mountCacheCard } from './cache-card.js';
import { demoModels } from './catalog.js';
import { detectCollector } from './collector.js';
import { mountCustomPanel } from './custom/custom-panel.js';
import { mountDropZone } from './custom/drop-zone.js';
import { showEnvironment } from './environment.js';
import { mountEventLog } from './event-log.js';
import { mountLatencyCard } from './latency/latency-card.js';
import { setChip } from './lib/chip.js';
import { byId } from './lib/dom.js';
import { mountModelCard } from './models/model-card.js';
import { mountModelList } from './models/model-list.js';
import { Playground } from './playground.js';
import { mountPlaygroundCard } from './playground-card.js';
import { registerAppShell } from './pwa.js';
import { mountOrientationPanel } from './text/orientation-panel.js';
import { mountVadPanel } from './vad/vad-panel.js';
import { mountVitalsCard } from './vitals-card.js';

/** Ms between beacons: shorter than the runtime's 30 s default, so the dashboard fills while you try things. */
const beaconIntervalMs = 15_000;

registerAppShell();
showEnvironment();

const collector = await detectCollector();
byId('dashboard-link').hidden = !collector;
if (collector)
  setChip('chip-collector', 'good', 'Telemetry on', 'Beacons go to this origin’s collector; the dashboard shows them');
else setChip('chip-collector', 'unknown', 'Telemetry off', 'No collector answers /healthz on this origin');

// The cards fill in hidden (styles/layout.css), then show at once: nothing shifts as they do.
try {
  const runtime = createRuntime({
    ...(collector ? { telemetry: { endpoint: '/collect', intervalMs: beaconIntervalMs } } : {}),
  });
  const specs = demoModels();
  const playground = new Playground(runtime, specs);
  byId('credits').textContent = specs.flatMap((spec) => spec.credit ?? []).join(' · ');

  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="backends"]')) {
    radio.addEventListener('change', () => {
      if (radio.checked) playground.backends = radio.value.split(',') as Backend[];
    });
  }

  mountModelList(playground);
  mountModelCard(playground);
  mountPlaygroundCard(playground, {
    vad: mountVadPanel(playground),
    orientation: mountOrientationPanel(playground),
    custom: mountCustomPanel(playground),
  });
  mountDropZone(playground);
  mountLatencyCard(playground);
  mountEventLog(runtime);
  mountCacheCard(playground);
  mountVitalsCard(runtime, collector);
  void playground.refreshCache();
} finally {
  byId('app').removeAttribute('data-booting');
}
