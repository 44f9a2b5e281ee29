import * as v from 'valibot';
import { maxBins } from './bin-window.js';
import { fieldCheck, valueCheck } from './field-check.js';

const name = v.pipe(v.string(), v.minLength(1), v.maxLength(128));
const finite = v.pipe(v.number(), v.finite());
const count = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000));

/** The defaults of the `drift` section (see `driftSchema`). */
export const driftDefaults = { window: 150, minSamples: 100, measure: 'psi', warn: 0.1, alarm: 0.25 } as const;

/** Where edges stop ascending, if they do. */
function descent(edges: number[]): string | undefined {
  const i = edges.findIndex((edge, at) => at > 0 && !(edge > (edges[at - 1] as number)));
  return i < 0 ? undefined : `${edges[i]} after ${edges[i - 1]} (edge ${i})`;
}

/** One feature's reference: cut points between bins and the share of training values in each. */
const featureSchema = v.pipe(
  v.strictObject({
    name: v.optional(name),
    edges: v.pipe(
      v.array(finite),
      v.minLength(1),
      v.maxLength(maxBins - 1),
      valueCheck('edges in strictly ascending order', descent),
    ),
    proportions: v.pipe(
      v.array(v.pipe(finite, v.minValue(0))),
      valueCheck('at least one proportion above 0', (shares: number[]) =>
        shares.some((share) => share > 0) ? undefined : 'all 0',
      ),
    ),
  }),
  fieldCheck('proportions', 'one proportion per bin (one more than there are edges)', ({ edges, proportions }) =>
    proportions.length === edges.length + 1 ? undefined : `${proportions.length} proportions for ${edges.length} edges`,
  ),
);

const referenceSchema = v.pipe(
  v.strictObject({
    sample: v.optional(v.picklist(['row', 'item-mean'])),
    features: v.pipe(v.array(featureSchema), v.minLength(1), v.maxLength(65_536)),
  }),
  fieldCheck('features', 'one feature when sample is "item-mean"', ({ sample, features }) =>
    sample !== 'item-mean' || features.length === 1 ? undefined : `${features.length} features`,
  ),
);

/**
 * The `drift` part of the manifest's `monitoring`: reference bins per input or output name, and
 * how a sliding window of recent values is compared with them.
 *
 * What a sample is, per `reference[name].sample`:
 * - `"row"` (the default): the tensor's last axis holds the features, one `features` entry per
 *   column, and every row (each position along the other axes) gives one value of each. A
 *   tabular input `[batch, 12]` has 12 features and gives `batch` samples of each per run; an
 *   output `[batch, 3]` of class scores has 3. With a single feature every value is a sample
 *   (a `[batch]` or `[batch, 1]` tensor, or a scalar).
 * - `"item-mean"`: each item along the first axis gives one sample, the mean of its values; one
 *   feature. For images, audio or embeddings, where one pixel says little and a million of them
 *   per run would be too dear: it tracks the overall level (brightness after normalisation,
 *   loudness) of what comes in.
 *
 * Each feature has `edges`, the cut points between bins in ascending order (bin 0 holds values
 * under `edges[0]`, the last bin values from the last edge up, so values past the training
 * extremes land in the outer bins), and `proportions`, the share of the reference values in each
 * bin, one more than the edges (counts work too: they are normalised). `webinfer manifest
 * --samples` computes both, with edges at quantiles of the samples.
 *
 * Only plain-number tensors are watched (float32, float64 and the integer types up to 32 bits);
 * NaN and infinities are left to the `nonFinite` watch. A feature is judged once its window
 * holds `minSamples` values (default 100), over the last `window` values (default 150): the
 * population stability index and the Jensen–Shannon divergence (bits) against the reference are
 * both reported, and `measure` (default `"psi"`), less what a window that size shows by chance
 * ((bins − 1) / samples for PSI: see `chanceDivergence`), is compared with `warn` (default 0.1)
 * and `alarm` (default 0.25). JS is bounded and indifferent to bins the reference left empty, but
 * for small shifts it is about PSI / 5.5, so choose lower thresholds with it (e.g. 0.02 and 0.05).
 * Few bins suit a short window: with 150 samples and 5 bins (what `webinfer manifest` writes by
 * default) a 0.5σ shift of one normal feature is seen after 13–148 samples (`npm run bench`,
 * anomaly figure, 30 seeds), and a drift is reported once per episode (as it crosses `warn`,
 * again if it reaches `alarm`), so clean streams report one about every 5,000 runs; 10 bins
 * cross `warn` about 25 times as often.
 *
 * @example
 * {
 *   "window": 150,
 *   "reference": {
 *     "x": { "features": [{ "name": "age", "edges": [25, 40, 60], "proportions": [0.2, 0.35, 0.3, 0.15] }] },
 *     "image": { "sample": "item-mean", "features": [{ "edges": [-0.5, 0, 0.5], "proportions": [0.1, 0.4, 0.4, 0.1] }] }
 *   }
 * }
 */
export const driftSchema = v.pipe(
  v.strictObject({
    window: v.optional(count),
    minSamples: v.optional(count),
    measure: v.optional(v.picklist(['psi', 'js'])),
    warn: v.optional(v.pipe(finite, v.minValue(0))),
    alarm: v.optional(v.pipe(finite, v.minValue(0))),
    reference: v.record(name, referenceSchema),
  }),
  fieldCheck('window', 'a window at least minSamples long', (drift) => {
    const window = drift.window ?? driftDefaults.window;
    const minSamples = drift.minSamples ?? driftDefaults.minSamples;
    return window >= minSamples ? undefined : `window ${window} with minSamples ${minSamples}`;
  }),
  fieldCheck('alarm', 'alarm at least warn', (drift) => {
    const alarm = drift.alarm ?? driftDefaults.alarm;
    const warn = drift.warn ?? driftDefaults.warn;
    return alarm >= warn ? undefined : `alarm ${alarm} with warn ${warn}`;
  }),
);

export type DriftConfig = v.InferOutput<typeof driftSchema>;
export type DriftReference = DriftConfig['reference'][string];
