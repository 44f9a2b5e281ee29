import * as v from 'valibot';

const fraction = v.pipe(v.number(), v.minValue(0), v.maxValue(1));

/**
 * The manifest's `monitoring.feedback` (or `rt.load(url, { feedback })`): which output
 * `model.feedback(result, truth)` judges, as a `classification` (top-1 class against the true
 * label or index) or a `regression` (absolute error); and what the model scored offline, so that
 * a drop in the field is an `accuracy-drop` anomaly: accuracy under `expected.accuracy −
 * tolerance` (default 0.05), or a mean absolute error over `expected.mae × (1 + tolerance)`,
 * over the last `window` answers (default 100), judged once half of them are in.
 */
export const feedbackSchema = v.strictObject({
  output: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(128))),
  task: v.optional(v.picklist(['classification', 'regression'])),
  expected: v.optional(
    v.strictObject({ accuracy: v.optional(fraction), mae: v.optional(v.pipe(v.number(), v.minValue(0), v.finite())) }),
  ),
  tolerance: v.optional(v.pipe(v.number(), v.minValue(0), v.finite())),
  window: v.optional(v.pipe(v.number(), v.integer(), v.minValue(10), v.maxValue(100_000))),
});

export type FeedbackConfig = v.InferOutput<typeof feedbackSchema>;
