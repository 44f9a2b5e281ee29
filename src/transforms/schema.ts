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

const byte = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(255));
const side = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(8192));
const perChannel = <T extends v.GenericSchema<unknown, number>>(item: T) =>
  v.pipe(v.array(item), v.length(3, 'one value per channel (3)'));

/**
 * `{ op: 'image' }`: an ImageBitmap, ImageData, Blob, image or canvas element → RGB pixels of
 * `width` × `height`, resized as Pillow's BILINEAR does. `fit`: `stretch` (the default) ignores
 * the aspect ratio; `letterbox` fits the image inside and fills the rest with `pad`; `center-crop`
 * fills the box and cuts what sticks out. `channels`: `rgb` (default) or `bgr`.
 */
const imageOpSchema = v.strictObject({
  op: v.literal('image'),
  width: side,
  height: side,
  fit: v.optional(v.picklist(['stretch', 'letterbox', 'center-crop'])),
  pad: v.optional(v.pipe(v.array(byte), v.length(3, 'an RGB colour, 3 values of 0 to 255'))),
  channels: v.optional(v.picklist(['rgb', 'bgr'])),
});

/** Ops on an image's values, after `image`: all fuse into one pass over the pixels. */
const pixelOpSchemas = [
  /** value × by (1/255 maps bytes to [0, 1]). */
  v.strictObject({ op: v.literal('scale'), by: finite }),
  /** (value − mean) ÷ std per channel, in the order of `channels`. */
  v.strictObject({ op: v.literal('normalize'), mean: perChannel(finite), std: perChannel(positive) }),
  /** `nchw` ([1, 3, h, w], the default) or `nhwc` ([1, h, w, 3]). */
  v.strictObject({ op: v.literal('layout'), to: v.picklist(['nchw', 'nhwc']) }),
  /** The tensor's type: `float32` (default), `float16`, or `uint8` (values rounded and clamped). */
  v.strictObject({ op: v.literal('dtype'), to: v.picklist(['float32', 'float16', 'uint8']) }),
] as const;

/**
 * `{ op: 'audio' }`: mono PCM (a Float32Array at `sampleRate`, `{ samples, sampleRate }`, or an
 * AudioBuffer) resampled to `sampleRate`. With `frame`, the clip is cut into frames of that many
 * samples, starting every `hop` samples (default: `frame`, no overlap), each multiplied by
 * `window` (`hann`, `hamming`; default none), and the model runs once per frame, in order (its
 * `state` carried from one to the next); each output comes back with the frames stacked on a
 * new first axis.
 */
const audioOpSchema = v.pipe(
  v.strictObject({
    op: v.literal('audio'),
    sampleRate: v.pipe(v.number(), v.integer(), v.minValue(1000), v.maxValue(384_000)),
    frame: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1 << 20))),
    hop: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1 << 20))),
    window: v.optional(v.picklist(['none', 'hann', 'hamming'])),
  }),
  v.check(
    (op) => op.frame !== undefined || (op.hop === undefined && op.window === undefined),
    '"hop" and "window" only with "frame"',
  ),
);

/** `{ op: 'constant' }`: the runtime feeds this input itself (Silero VAD's `sr`); callers leave it out. */
const constantOpSchema = v.pipe(
  v.strictObject({
    op: v.literal('constant'),
    type: v.picklist(['float32', 'int32', 'int64']),
    value: v.pipe(v.array(finite), v.maxLength(4096)),
    dims: v.array(v.pipe(v.number(), v.integer(), v.minValue(0))),
  }),
  v.check((c) => c.value.length === c.dims.reduce((n, d) => n * d, 1), 'as many values as the dims hold'),
);

/**
 * `{ op: 'text' }`: a sentence or an array of them → token ids through the manifest's
 * `tokenizer` file, truncated to `maxLength` (special tokens kept) and padded to it
 * (`padding: 'max-length'`) or to the longest sentence (the default); the attention mask and
 * token type ids go to the inputs named here, which callers leave out.
 */
const textOpSchema = v.strictObject({
  op: v.literal('text'),
  maxLength: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1 << 16)),
  padding: v.optional(v.picklist(['longest', 'max-length'])),
  type: v.optional(v.picklist(['int64', 'int32'])),
  attentionMask: v.optional(fieldName),
  tokenTypeIds: v.optional(fieldName),
});

/** Ops that read an app's raw input: each input's list starts with one. */
const readerOps = new Set(['row', 'image', 'audio', 'constant', 'text']);

/** The ops of an input's list: a reader first, then ops on what it read. */
export const inputOpSchema = v.variant('op', [
  rowOpSchema,
  imageOpSchema,
  audioOpSchema,
  constantOpSchema,
  textOpSchema,
  ...pixelOpSchemas,
]);

const axis = v.pipe(v.number(), v.integer());
/**
 * Class names, one per class: inline, or `{ file }` naming a manifest file of role `labels`
 * (UTF-8 text, one label per line), which the runtime fetches and checks with the others.
 */
const labels = v.union([
  v.pipe(v.array(label), v.minLength(1), v.maxLength(100_000)),
  v.strictObject({ file: v.pipe(v.string(), v.minLength(1)) }),
]);

/** The ops an output tensor goes through, in order: tensor → tensor ops, then at most one that makes predictions. */
export const outputOpSchema = v.variant('op', [
  v.strictObject({ op: v.literal('softmax'), axis: v.optional(axis) }),
  v.strictObject({ op: v.literal('sigmoid') }),
  v.strictObject({ op: v.literal('argmax'), labels: v.optional(labels) }),
  v.strictObject({ op: v.literal('top-k'), k: v.pipe(v.number(), v.integer(), v.minValue(1)), labels: v.optional(labels) }),
  v.strictObject({ op: v.literal('threshold'), value: finite, labels: v.optional(labels) }),
  /**
   * Object detection: boxes from a detector's output (`[rows, 4 + classes, anchors]`, YOLOv8's,
   * or anchors first), each anchor's best class above `scoreThreshold` (default 0.25), then
   * non-maximum suppression at `iouThreshold` (default 0.45), at most `maxDetections` (100).
   */
  v.strictObject({
    op: v.literal('nms'),
    format: v.optional(v.picklist(['cxcywh', 'xyxy'])),
    anchors: v.optional(v.picklist(['last', 'first'])),
    scoreThreshold: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
    iouThreshold: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
    maxDetections: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000))),
    classAgnostic: v.optional(v.boolean()),
    labels: v.optional(labels),
  }),
  /** CTC greedy decoding (speech, OCR): `alphabet[i]` is class i's text; `blank` (default 0) is dropped. */
  v.strictObject({
    op: v.literal('ctc-greedy'),
    alphabet: v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.minLength(2), v.maxLength(100_000)),
    blank: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    timeFirst: v.optional(v.boolean()),
  }),
]);

/** Ops that end an output's list: they turn scores into predictions, boxes or text. */
export const predictionOps = new Set(['argmax', 'top-k', 'threshold', 'nms', 'ctc-greedy']);

/**
 * A recurrent model's state: `input` is fed the previous run's `output` (zeros before the first),
 * kept by the runtime per model until `model.resetState()`; callers leave the input out.
 */
const stateSchema = v.pipe(v.array(v.strictObject({ input: fieldName, output: fieldName })), v.minLength(1), v.maxLength(64));

export const transformsSchema = v.strictObject({
  state: v.optional(stateSchema),
  inputs: v.optional(
    v.record(
      fieldName,
      v.pipe(
        v.array(inputOpSchema),
        v.minLength(1),
        v.check(
          (ops) => readerOps.has(ops[0]?.op ?? '') && ops.slice(1).every((op) => !readerOps.has(op.op)),
          'one op that reads the raw input, first',
        ),
        v.check((ops) => ops[0]?.op === 'image' || ops.length === 1, 'ops after the reader only for "image"'),
        v.check((ops) => new Set(ops.map((op) => op.op)).size === ops.length, 'each op at most once'),
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
          'argmax, top-k, threshold, nms or ctc-greedy only as the last op',
        ),
      ),
    ),
  ),
});

export type Transforms = v.InferOutput<typeof transformsSchema>;
export type InputOp = v.InferOutput<typeof inputOpSchema>;
export type RowOp = v.InferOutput<typeof rowOpSchema>;
export type RowField = RowOp['fields'][number];
export type ImageOp = v.InferOutput<typeof imageOpSchema>;
export type AudioOp = v.InferOutput<typeof audioOpSchema>;
export type ConstantOp = v.InferOutput<typeof constantOpSchema>;
export type TextOp = v.InferOutput<typeof textOpSchema>;
/** The ops after `image`. */
export type PixelOp = Exclude<InputOp, RowOp | ImageOp | AudioOp | ConstantOp | TextOp>;
export type OutputOp = v.InferOutput<typeof outputOpSchema>;
