import type { ModelFilter, ModelSummary } from '../api.js';

/** The rows of `/api/models` the filter selects: all, a model's versions, or one version. */
export function modelsInView(models: readonly ModelSummary[], filter: ModelFilter): readonly ModelSummary[] {
  return models.filter(
    (row) =>
      (filter.model === undefined || row.model === filter.model) &&
      (filter.version === undefined || row.version === filter.version),
  );
}

/** Runs by backend over `models`, most used first. */
export function backendRuns(models: readonly ModelSummary[]): [backend: string, runs: number][] {
  const runs = new Map<string, number>();
  for (const row of models) {
    for (const [backend, count] of Object.entries(row.backends)) runs.set(backend, (runs.get(backend) ?? 0) + count);
  }
  return [...runs].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
