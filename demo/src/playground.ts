import type { Backend, CachedModel, CacheUsage, Inputs, LoadProgress, Model, RunResult, Runtime } from 'webinfer';
import type { ModelSpec } from './catalog.js';

/** Where one model of the page is. */
export type ModelStatus =
  | { readonly state: 'idle' }
  | { readonly state: 'loading'; readonly progress?: LoadProgress }
  | { readonly state: 'ready'; readonly model: Model }
  | { readonly state: 'failed'; readonly error: unknown };

/** One run as the latency chart plots it: its phases, and the model's running percentiles after it. */
export interface RunRecord {
  readonly timings: RunResult['timings'];
  readonly p50Ms: number;
  readonly p95Ms: number;
}

export interface Entry {
  readonly spec: ModelSpec;
  status: ModelStatus;
  readonly runs: RunRecord[];
}

/** What changed: the models (their status, progress, the selection), a model's runs, the cache. */
export type Topic = 'models' | 'runs' | 'cache';

/**
 * The page's state: the runtime, the models it knows and where each is, the one shown, the runs
 * made, and what webinfer's cache holds. Views subscribe to a topic and redraw from here.
 */
export class Playground {
  readonly runtime: Runtime;
  readonly entries = new Map<string, Entry>();
  selected: string | undefined;
  backends: readonly Backend[] = ['webgpu', 'wasm'];
  cached: readonly CachedModel[] = [];
  usage: CacheUsage | undefined;
  readonly #listeners = new Map<Topic, Set<() => void>>();

  constructor(runtime: Runtime, specs: readonly ModelSpec[]) {
    this.runtime = runtime;
    for (const spec of specs) this.add(spec);
    this.selected = specs[0]?.key;
  }

  on(topic: Topic, listener: () => void): void {
    const listeners = this.#listeners.get(topic) ?? new Set();
    listeners.add(listener);
    this.#listeners.set(topic, listeners);
  }

  /** The entry shown in the model card and the playground. */
  get current(): Entry | undefined {
    return this.selected === undefined ? undefined : this.entries.get(this.selected);
  }

  add(spec: ModelSpec): Entry {
    const known = this.entries.get(spec.key);
    if (known) return known;
    const entry: Entry = { spec, status: { state: 'idle' }, runs: [] };
    this.entries.set(spec.key, entry);
    this.#emit('models');
    return entry;
  }

  select(key: string): void {
    this.selected = key;
    this.#emit('models');
    this.#emit('runs');
  }

  /** Loads (or loads again: a second load reads the cache) the model `key` on the chosen backends. */
  async load(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (!entry || entry.status.state === 'loading') return;
    const before = entry.status.state === 'ready' ? entry.status.model : undefined;
    entry.status = { state: 'loading' };
    this.#emit('models');
    try {
      await before?.dispose();
      const model = await this.runtime.load(entry.spec.source, {
        backends: this.backends,
        update: entry.spec.keepCurrent,
        onProgress: (progress) => {
          entry.status = { state: 'loading', progress };
          this.#emit('models');
        },
      });
      entry.status = { state: 'ready', model };
      // The chart follows one version on one backend: another one starts it over.
      const { version, backend } = model.info;
      if (before && (before.info.version !== version || before.info.backend !== backend)) entry.runs.length = 0;
      this.#emit('runs');
    } catch (error) {
      entry.status = { state: 'failed', error };
    }
    this.#emit('models');
    await this.refreshCache();
  }

  /** Runs the model `key` and records its timings; throws what the run throws. */
  async run(key: string, inputs: Inputs): Promise<RunResult> {
    const entry = this.entries.get(key);
    if (entry?.status.state !== 'ready') throw new Error(`The model "${key}" is not loaded`);
    const { model } = entry.status;
    const result = await model.runDetailed(inputs);
    const { id, backend } = model.info;
    const total = this.runtime
      .metrics()
      .models.find((m) => m.model === id && m.version === result.version && m.backend === backend)?.phases.total;
    entry.runs.push({ timings: result.timings, p50Ms: total?.p50Ms ?? Number.NaN, p95Ms: total?.p95Ms ?? Number.NaN });
    this.#emit('runs');
    return result;
  }

  async refreshCache(): Promise<void> {
    try {
      [this.cached, this.usage] = await Promise.all([this.runtime.cache.list(), this.runtime.cache.usage()]);
    } catch {
      // IndexedDB unavailable (a private window may refuse it): the cache card stays empty.
      [this.cached, this.usage] = [[], undefined];
    }
    this.#emit('cache');
  }

  #emit(topic: Topic): void {
    for (const listener of this.#listeners.get(topic) ?? []) listener();
  }
}
