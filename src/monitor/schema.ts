import * as v from 'valibot';
import { driftSchema } from './drift-schema.js';
import { feedbackSchema } from './feedback-schema.js';
import { fieldCheck } from './field-check.js';

const name = v.pipe(v.string(), v.minLength(1), v.maxLength(128));
const finite = v.pipe(v.number(), v.finite());
const fraction = v.pipe(v.number(), v.minValue(0), v.maxValue(1));

/**
 * The manifest's `monitoring` section: what the worker watches in each run. NaN and infinite
 * values in float inputs and outputs are always watched (`nonFinite: false` turns it off);
 * `ranges` are the values seen in training (per input or output name), a value outside is an
 * anomaly: one `min` and `max` for the whole tensor, or arrays of them, one per column of its
 * last axis (a tabular input's features seldom share a scale); `drift` holds reference bins per
 * input or output name, compared with a sliding window of recent values (see `driftSchema` for
 * what a sample is, and the thresholds).
 *
 * `confidence` watches a classifier's output (its predictions, or scores along the last axis,
 * as the app sees them after postprocessing): a row whose top score is under `min` (default
 * 0.5), or whose top two are closer than `margin` (default 0.1), is unsure. Unsure rows are
 * normal; the anomaly is a collapse: among the last `window` rows (default 200, judged from 100
 * rows on) more unsure ones than the `expected` share (default 0.2; `webinfer manifest
 * --samples` measures it) would give by chance, at odds of 1 in 10,000. `feedback` says how
 * ground truth given later is judged (see `feedbackSchema`).
 *
 * @example
 * {
 *   "ranges": { "x": { "min": [18, -4.2], "max": [95, 5.1] }, "image": { "min": -2.1, "max": 2.6 } },
 *   "drift": { "reference": { "x": { "features": [{ "edges": [-1, 0, 1], "proportions": [0.16, 0.34, 0.34, 0.16] }] } } },
 *   "confidence": { "output": "logits", "expected": 0.08 }
 * }
 */
export const monitoringSchema = v.strictObject({
  nonFinite: v.optional(v.boolean()),
  ranges: v.optional(
    v.record(
      name,
      v.union([
        v.pipe(
          v.strictObject({ min: finite, max: finite }),
          fieldCheck('max', 'max at least min', ({ min, max }) => (max >= min ? undefined : `${max} under min ${min}`)),
        ),
        v.pipe(
          v.strictObject({ min: v.pipe(v.array(finite), v.minLength(1)), max: v.pipe(v.array(finite), v.minLength(1)) }),
          fieldCheck('max', 'one max per min, each at least its min', ({ min, max }) => {
            if (max.length !== min.length) return `${max.length} max for ${min.length} min`;
            const column = max.findIndex((high, i) => !(high >= (min[i] as number)));
            return column < 0 ? undefined : `${max[column]} under min ${min[column]} in column ${column}`;
          }),
        ),
      ]),
    ),
  ),
  drift: v.optional(driftSchema),
  confidence: v.optional(
    v.strictObject({
      output: name,
      min: v.optional(fraction),
      margin: v.optional(fraction),
      window: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000))),
      expected: v.optional(fraction),
    }),
  ),
  feedback: v.optional(feedbackSchema),
});

export type Monitoring = v.InferOutput<typeof monitoringSchema>;
