import * as v from 'valibot';

const name = v.pipe(v.string(), v.minLength(1), v.maxLength(128));
const finite = v.pipe(v.number(), v.finite());
const fraction = v.pipe(v.number(), v.minValue(0), v.maxValue(1));

/**
 * The manifest's `monitoring` section: what the worker watches in each run. NaN and infinite
 * values in float inputs and outputs are always watched (`nonFinite: false` turns it off);
 * `ranges` are the values seen in training (per input or output name), a value outside is an
 * anomaly; `confidence` watches a classifier's output (its predictions, or probabilities along
 * the last axis): a top-1 score under `min` (default 0.5) or a top-two margin under `margin`
 * (default 0.1) is low confidence.
 */
export const monitoringSchema = v.strictObject({
  nonFinite: v.optional(v.boolean()),
  ranges: v.optional(
    v.record(
      name,
      v.pipe(
        v.strictObject({ min: finite, max: finite }),
        v.check((range) => range.max >= range.min, 'max at least min'),
      ),
    ),
  ),
  confidence: v.optional(v.strictObject({ output: name, min: v.optional(fraction), margin: v.optional(fraction) })),
});

export type Monitoring = v.InferOutput<typeof monitoringSchema>;
