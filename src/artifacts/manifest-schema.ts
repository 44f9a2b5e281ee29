import * as v from 'valibot';
import { numericTypes } from '../lib/tensor-from-numbers.js';
import { monitoringSchema } from '../monitor/schema.js';
import { canarySchema } from '../session/canary.js';
import { transformsSchema } from '../transforms/schema.js';

/** The manifest format this runtime reads. A manifest names exactly one version of one model. */
export const manifestFormat = 'webinfer/manifest@1';

const sha256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256 (64 characters)'));
const tensorType = v.picklist([...numericTypes, 'float16', 'string']);
const dim = v.union([v.pipe(v.number(), v.integer()), v.pipe(v.string(), v.minLength(1))]);

const fileSchema = v.strictObject({
  /** Relative to the manifest's own URL, or absolute. */
  url: v.pipe(v.string(), v.minLength(1)),
  /**
   * `model`: the `.onnx` graph; `external-data`: weights it references by this path;
   * `tokenizer`: a tokenizer.json for the `text` transform; `labels`: class names, one a line.
   */
  role: v.picklist(['model', 'external-data', 'tokenizer', 'labels']),
  bytes: v.pipe(v.number(), v.integer(), v.minValue(1)),
  sha256,
  /** For external data: the location the graph refers to; defaults to the last segment of `url`. */
  path: v.optional(v.pipe(v.string(), v.minLength(1))),
});

const tensorSchema = v.strictObject({
  name: v.pipe(v.string(), v.minLength(1)),
  type: tensorType,
  dims: v.array(dim),
});

/** What a file set's weights are stored as; `float16` runs only where WebGPU has `shader-f16`. */
const precision = v.picklist(['float32', 'float16', 'int8', 'uint8', 'int4']);
const name = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, 'letters, digits, ".", "_" or "-", at most 64'));
const files = v.pipe(
  v.array(fileSchema),
  v.minLength(1),
  v.check((list) => list.filter((f) => f.role === 'model').length === 1, 'exactly one file with role "model"'),
);

/**
 * Another build of the same model (float16, quantized): its own files, and the inputs and
 * outputs where they differ. `requires` names WebGPU features it needs beyond what `precision`
 * implies; a variant with any need runs on WebGPU only.
 */
const variantSchema = v.strictObject({
  name: v.pipe(
    name,
    v.check((n) => n !== 'default', '"default" is the name of the top-level files'),
  ),
  precision,
  requires: v.optional(v.array(v.pipe(v.string(), v.regex(/^[a-z0-9-]+$/, 'a WebGPU feature name, e.g. "shader-f16"')))),
  files,
  inputs: v.optional(v.array(tensorSchema)),
  outputs: v.optional(v.array(tensorSchema)),
});

export const manifestSchema = v.pipe(
  v.strictObject({
    format: v.literal(manifestFormat),
    id: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9._-]{0,127}$/i, 'letters, digits, ".", "_" or "-", at most 128')),
    version: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
    files,
    inputs: v.array(tensorSchema),
    outputs: v.array(tensorSchema),
    /** The precision of `files`, the variant named "default"; float32 when absent. */
    precision: v.optional(precision),
    variants: v.optional(
      v.pipe(
        v.array(variantSchema),
        v.check((list) => new Set(list.map((x) => x.name)).size === list.length, 'variants with distinct names'),
      ),
    ),
    /** Preprocessing and postprocessing (see `transforms/schema.ts`). */
    transforms: v.optional(transformsSchema),
    /** What the worker watches in each run (see `monitor/schema.ts`). */
    monitoring: v.optional(monitoringSchema),
    /** Golden inputs and outputs, checked on the backend chosen (see `session/canary.ts`). */
    canary: v.optional(canarySchema),
    signature: v.optional(v.strictObject({ alg: v.literal('Ed25519'), value: v.pipe(v.string(), v.minLength(1)) })),
  }),
);

/** A manifest as written: file URLs may be relative. */
export type Manifest = v.InferOutput<typeof manifestSchema>;
export type ManifestFile = Manifest['files'][number];
export type ManifestVariant = NonNullable<Manifest['variants']>[number];
export type Precision = v.InferOutput<typeof precision>;
