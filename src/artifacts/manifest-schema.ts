import * as v from 'valibot';

/** The manifest format this runtime reads. A manifest names exactly one version of one model. */
export const manifestFormat = 'webinfer/manifest@1';

const sha256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256 (64 characters)'));
const tensorType = v.picklist([
  'float32',
  'float16',
  'float64',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'bool',
  'string',
]);
const dim = v.union([v.pipe(v.number(), v.integer()), v.pipe(v.string(), v.minLength(1))]);

const fileSchema = v.strictObject({
  /** Relative to the manifest's own URL, or absolute. */
  url: v.pipe(v.string(), v.minLength(1)),
  /** `model`: the `.onnx` graph; `external-data`: weights it references by this path. */
  role: v.picklist(['model', 'external-data']),
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

export const manifestSchema = v.pipe(
  v.strictObject({
    format: v.literal(manifestFormat),
    id: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9._-]{0,127}$/i, 'letters, digits, ".", "_" or "-", at most 128')),
    version: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
    files: v.pipe(v.array(fileSchema), v.minLength(1)),
    inputs: v.array(tensorSchema),
    outputs: v.array(tensorSchema),
    // Reserved for later formats' features; accepted and kept, not yet interpreted.
    transforms: v.optional(v.record(v.string(), v.unknown())),
    monitoring: v.optional(v.record(v.string(), v.unknown())),
    canary: v.optional(v.array(v.unknown())),
    signature: v.optional(v.strictObject({ alg: v.literal('Ed25519'), value: v.pipe(v.string(), v.minLength(1)) })),
  }),
  v.check((m) => m.files.filter((f) => f.role === 'model').length === 1, 'exactly one file with role "model"'),
);

/** A manifest as written: file URLs may be relative. */
export type Manifest = v.InferOutput<typeof manifestSchema>;
export type ManifestFile = Manifest['files'][number];
