import * as v from 'valibot';

/**
 * The manifest's `transforms` section: what turns an app's raw input into a model's tensors
 * (per input, an ordered list of ops whose first op says what the raw input is) and its output
 * tensors into what the app wants (per output, an ordered list of ops). Every op and parameter is
 * checked when the manifest loads; an unknown op or a bad parameter fails the load with the
 * field's path (`transforms.inputs.x.0.fields.2.oneHot`), the expected and the actual value.
 */

const finite = v.pipe(v.number(), v.finite());
const positive = v.pipe(v.number(), v.finite(), v.gtValue(0));
const fieldName = v.pipe(v.string(), v.minLength(1), v.maxLength(128));
const label = v.pipe(v.string(), v.maxLength(256));

/** One named field of a tabular row, and how it becomes one column (or several, one-hot). */
const rowFieldSchema = v.pipe(
  v.strictObject({
    name: fieldName,
    /** The value used when the field is missing, null or NaN; without it, such a row is refused. */
    impute: v.optional(v.union([finite, v.string()])),
    /** (value − mean) ÷ std, as scikit-learn's StandardScaler. */
    standardize: v.optional(v.strictObject({ mean: finite, std: positive })),
    /** (value − min) ÷ (max − min), as scikit-learn's MinMaxScaler. */
    minMax: v.optional(
      v.pipe(
        v.strictObject({ min: finite, max: finite }),
        v.check((range) => range.max > range.min, 'max greater than min'),
      ),
    ),
    /** A categorical field: one column per category, 1 where the value is it. */
    oneHot: v.optional(v.pipe(v.array(label), v.minLength(1), v.maxLength(4096))),
    /** A category not in `oneHot`: `error` (the default) refuses the row, `ignore` gives all zeros. */
    unknown: v.optional(v.picklist(['error', 'ignore'])),
  }),
  v.check(
    (field) => !(field.oneHot && (field.standardize || field.minMax)),
    'a field that is either one-hot or scaled, not both',
  ),
  v.check((field) => !(field.standardize && field.minMax), 'one scaling per field: standardize or minMax'),
  v.check((field) => field.unknown === undefined || field.oneHot !== undefined, '"unknown" only beside "oneHot"'),
  v.check(
    (field) => field.impute === undefined || typeof field.impute === (field.oneHot ? 'string' : 'number'),
    "an impute value of the field's kind (a category for one-hot fields, a number otherwise)",
  ),
);

/** `{ op: 'row' }`: a plain object of named fields (or an array of them, one per batch row) → float32 [rows, columns]. */
const rowOpSchema = v.strictObject({
  op: v.literal('row'),
  fields: v.pipe(v.array(rowFieldSchema), v.minLength(1), v.maxLength(4096)),
});

/** Ops that read an app's raw input: each input's list starts with one. */
const readerOps = new Set(['row']);

/** The ops of an input's list: a reader first, then (later) ops on its tensor. */
export const inputOpSchema = v.variant('op', [rowOpSchema]);

const axis = v.pipe(v.number(), v.integer());
const labels = v.pipe(v.array(label), v.minLength(1), v.maxLength(100_000));

/** The ops an output tensor goes through, in order: tensor → tensor ops, then at most one that makes predictions. */
export const outputOpSchema = v.variant('op', [
  v.strictObject({ op: v.literal('softmax'), axis: v.optional(axis) }),
  v.strictObject({ op: v.literal('sigmoid') }),
  v.strictObject({ op: v.literal('argmax'), labels: v.optional(labels) }),
  v.strictObject({ op: v.literal('top-k'), k: v.pipe(v.number(), v.integer(), v.minValue(1)), labels: v.optional(labels) }),
  v.strictObject({ op: v.literal('threshold'), value: finite, labels: v.optional(labels) }),
]);

/** Ops that end an output's list: they turn scores into predictions. */
export const predictionOps = new Set(['argmax', 'top-k', 'threshold']);

export const transformsSchema = v.strictObject({
  inputs: v.optional(
    v.record(
      fieldName,
      v.pipe(
        v.array(inputOpSchema),
        v.minLength(1),
        v.check((ops) => ops.slice(1).every((op) => !readerOps.has(op.op)), 'one op that reads the raw input, first'),
      ),
    ),
  ),
  outputs: v.optional(
    v.record(
      fieldName,
      v.pipe(
        v.array(outputOpSchema),
        v.minLength(1),
        v.check(
          (ops) => ops.every((op, i) => !predictionOps.has(op.op) || i === ops.length - 1),
          'argmax, top-k or threshold only as the last op',
        ),
      ),
    ),
  ),
});

export type Transforms = v.InferOutput<typeof transformsSchema>;
export type InputOp = v.InferOutput<typeof inputOpSchema>;
export type RowOp = v.InferOutput<typeof rowOpSchema>;
export type RowField = RowOp['fields'][number];
export type OutputOp = v.InferOutput<typeof outputOpSchema>;
