import type { ModelSource } from '../artifacts/fetch-artifacts.js';
import { refuse } from '../errors.js';
import { defaultProbation, type ProbationSettings } from './update-probation.js';
import type { UpdateOptions } from './update-types.js';

/** `rt.load(url, { update })`, checked: the settings of a model kept current, or undefined when off. */
export function checkUpdate(
  update: boolean | UpdateOptions | undefined,
  source: ModelSource,
): { intervalMs: number; onVisible: boolean; rollback: ProbationSettings | false } | undefined {
  if (update === undefined || update === false) return undefined;
  if (source.kind !== 'manifest') refuse('update', 'used with a manifest URL (a bare .onnx file has no version)', source.url);
  const given: UpdateOptions =
    update === true
      ? {}
      : typeof update === 'object' && update !== null
        ? update
        : refuse('update', 'true or { intervalMs, onVisible, rollback }', update);
  const { intervalMs = 600_000, onVisible = true, rollback = {} } = given;
  if (typeof intervalMs !== 'number' || !Number.isFinite(intervalMs) || intervalMs < 1_000) {
    refuse('update.intervalMs', 'a number of ms >= 1000', intervalMs);
  }
  if (typeof onVisible !== 'boolean') refuse('update.onVisible', 'a boolean', onVisible);
  if (rollback === false) return { intervalMs, onVisible, rollback };
  if (typeof rollback !== 'object' || rollback === null)
    refuse('update.rollback', 'false or { runs, maxErrorRate, maxAnomalyRate }', rollback);
  const settings = { ...defaultProbation, ...rollback };
  if (!Number.isInteger(settings.runs) || settings.runs < 1) refuse('update.rollback.runs', 'an integer >= 1', settings.runs);
  for (const rate of ['maxErrorRate', 'maxAnomalyRate'] as const) {
    const value = settings[rate];
    if (typeof value !== 'number' || !(value >= 0 && value <= 1))
      refuse(`update.rollback.${rate}`, 'a number from 0 to 1', value);
  }
  return { intervalMs, onVisible, rollback: settings };
}
