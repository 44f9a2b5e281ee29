import { loadPhases } from '../../monitor/metrics.js';
import type { ModelFilter, ModelSummary } from './api.js';
import { h } from './lib/element.js';
import { chartPhases, type RangeKey, rangeLabels, ranges, type ViewState } from './view-state.js';

/** The header's and the latency card's inputs, as index.html has them. */
export interface ControlElements {
  readonly model: HTMLSelectElement;
  readonly range: HTMLElement;
  readonly phase: HTMLSelectElement;
  readonly refresh: HTMLButtonElement;
  readonly status: HTMLElement;
}

export type StatusTone = 'ok' | 'busy' | 'paused' | 'bad';

/** The select's value for a filter: JSON, as model names may hold any character. */
const optionValueOf = (filter: ModelFilter) => JSON.stringify([filter.model ?? null, filter.version ?? null]);

function filterOf(value: string): ModelFilter {
  const [model, version] = JSON.parse(value) as [string | null, string | null];
  return { ...(model ? { model } : {}), ...(model && version ? { version } : {}) };
}

const loadPhaseSet: ReadonlySet<string> = new Set(loadPhases);

/**
 * Binds the inputs to the view: each change calls `onChange` with the new view; `setModels`
 * refills the model list from `/api/models`, keeping the chosen model even when it has no data
 * in the new range.
 */
export function bindControls(elements: ControlElements, initial: ViewState, onChange: (view: ViewState) => void) {
  let view = initial;
  const change = (next: Partial<ViewState>) => {
    view = { ...view, ...next };
    show();
    onChange(view);
  };

  const rangeButtons = (Object.keys(ranges) as RangeKey[]).map((key) => {
    const button = h('button', { class: 'segment', attrs: { type: 'button', 'data-range': key } }, rangeLabels[key]);
    button.addEventListener('click', () => change({ range: key }));
    return button;
  });
  elements.range.replaceChildren(...rangeButtons);

  elements.phase.replaceChildren(
    h('optgroup', { attrs: { label: 'Call' } }, ...chartPhases.filter((p) => !loadPhaseSet.has(p)).map((p) => phaseOption(p))),
    h('optgroup', { attrs: { label: 'Load' } }, ...chartPhases.filter((p) => loadPhaseSet.has(p)).map((p) => phaseOption(p))),
  );
  elements.phase.addEventListener('change', () => change({ phase: elements.phase.value }));
  elements.model.addEventListener('change', () => change({ filter: filterOf(elements.model.value) }));
  elements.refresh.addEventListener('click', () => change({ paused: !view.paused }));

  function show(): void {
    for (const button of rangeButtons) button.setAttribute('aria-pressed', String(button.dataset.range === view.range));
    elements.phase.value = view.phase;
    elements.model.value = optionValueOf(view.filter);
    elements.refresh.setAttribute('aria-pressed', String(!view.paused));
    elements.refresh.textContent = view.paused ? 'Resume' : 'Pause';
    elements.refresh.title = view.paused ? 'Refresh every 10 s again' : 'Stop refreshing every 10 s';
  }

  function setModels(models: readonly ModelSummary[]): void {
    const versions = new Map<string, Set<string>>();
    for (const row of models) versions.set(row.model, (versions.get(row.model) ?? new Set()).add(row.version));
    const { model, version } = view.filter;
    if (model) versions.set(model, (versions.get(model) ?? new Set()).add(version ?? ''));
    const options = [option({}, 'All models')];
    for (const name of [...versions.keys()].sort()) {
      options.push(option({ model: name }, `${name} · all versions`));
      for (const v of [...(versions.get(name) ?? [])].filter(Boolean).sort())
        options.push(option({ model: name, version: v }, `${name}@${v}`));
    }
    elements.model.replaceChildren(...options);
    elements.model.value = optionValueOf(view.filter);
  }

  function setStatus(text: string, tone: StatusTone, title = ''): void {
    elements.status.textContent = text;
    elements.status.title = title;
    elements.status.dataset.tone = tone;
  }

  show();
  return {
    setModels,
    setStatus,
    /** The view as the inputs say now. */
    get view(): ViewState {
      return view;
    },
    /** Another view (a model picked in the table): the inputs follow, then `onChange`. */
    select: change,
  };
}

function phaseOption(phase: string): HTMLOptionElement {
  return h('option', { attrs: { value: phase } }, phase);
}

function option(filter: ModelFilter, label: string): HTMLOptionElement {
  return h('option', { attrs: { value: optionValueOf(filter) } }, label);
}
