import type { ModelKind } from './catalog.js';
import { byId } from './lib/dom.js';
import { formatError } from './lib/format.js';
import type { Panel } from './panel.js';
import type { Playground } from './playground.js';

const benchRuns = 20;

/**
 * The "Try it" card: the panel for the kind of model shown, its Run button (enabled once the
 * model is loaded, one run at a time), and the latency card's "Run ×20", which runs the same
 * panel over and over to fill the chart.
 */
export function mountPlaygroundCard(playground: Playground, panels: Readonly<Record<ModelKind, Panel>>): void {
  const hint = byId('playground-hint');
  const bench = byId<HTMLButtonElement>('bench-button');
  const kinds = Object.keys(panels) as ModelKind[];
  let running = false;

  const render = () => {
    const entry = playground.current;
    const model = entry?.status.state === 'ready' ? entry.status.model : undefined;
    for (const kind of kinds) {
      const element = document.querySelector<HTMLElement>(`.panel[data-kind="${kind}"]`);
      if (element) element.hidden = entry?.spec.kind !== kind;
      byId<HTMLButtonElement>(`${kind}-run`).disabled = running || !model || entry?.spec.kind !== kind;
    }
    bench.disabled = running || !model;
    hint.textContent = model ? `${entry?.spec.title} on ${model.info.backend}` : 'Load the model to run it.';
    if (entry) panels[entry.spec.kind].show?.(model);
  };

  /** Runs the model shown `times` times through its panel; a failure stops the series and is shown. */
  const runShown = async (times: number) => {
    const entry = playground.current;
    if (running || entry?.status.state !== 'ready') return;
    const { kind, key } = entry.spec;
    const { model } = entry.status;
    const status = byId(`${kind}-status`);
    running = true;
    render();
    try {
      for (let i = 0; i < times; i++) {
        const line = await panels[kind].run(key, model);
        status.textContent = times > 1 ? `Run ${i + 1} of ${times}: ${line}` : line;
        status.dataset.runs = String(Number(status.dataset.runs ?? 0) + 1);
      }
      status.classList.remove('failed');
    } catch (error) {
      status.textContent = formatError(error);
      status.classList.add('failed');
    } finally {
      running = false;
      render();
    }
  };

  for (const kind of kinds) byId(`${kind}-run`).addEventListener('click', () => void runShown(1));
  bench.addEventListener('click', () => void runShown(benchRuns));
  bench.textContent = `Run ×${benchRuns}`;
  playground.on('models', render);
  render();
}
