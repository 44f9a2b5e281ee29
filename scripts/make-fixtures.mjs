#!/usr/bin/env node

// Writes the small synthetic ONNX models used by the tests into test/fixtures/models/.
// Run with `npm run fixtures` (node scripts/make-fixtures.mjs). Output is byte-identical
// on every run: weights come from a seeded PRNG and nothing depends on time or platform.
//
//   add.onnx        a, b: float32 [2,3] -> sum = a + b. Smallest possible end-to-end check.
//   mlp.onnx        x: float32 ['batch',4] -> Gemm(4x8) -> Relu -> Gemm(8x3) -> logits: float32
//                   ['batch',3]. Seeded weights; checks symbolic dims and numerics vs a JS reference.
//   int64-bool.onnx ids: int64 [1,'n'], mask: bool [1,'n'] -> ids_plus_one = ids + 1 (int64),
//                   mask_not = Not(mask) (bool). Checks BigInt64Array / bool tensor round trips.
//   heavy.onnx      x: float32 [1,256] -> 400 x (MatMul 256x256 + Add bias + Relu) -> y: float32
//                   [1,256]. Tuned to take ~2 ms per run (after warm-up) on the 1-thread WASM backend,
//                   for queueing / concurrency / timing tests. Layers cycle through 4 weight matrices
//                   to keep the file ~1 MB (a loaded session still grows memory by ~60 MB).
//   alloc.onnx      n: int64 [1] -> sum = ReduceSum(ConstantOfShape(n) of 1.0): allocates n floats
//                   at run time, so a large n runs wasm out of memory (RELIABILITY.md 24).
//   row-mixing.onnx x: float32 ['batch',3] -> y = Softmax(x, axis=0): every row depends on the
//                   others, though its shapes look batchable; micro-batching must refuse it.
//   image-probe.onnx image: float32 [1,3,224,224] -> pixels = Identity(image) (what preprocessing
//                   made, for tests to compare with Pillow's), channels = the mean of each channel
//                   [1,3] (a "classifier" of the dominant colour). image-probe.manifest.json reads
//                   an image into it, ImageNet-normalized, and labels the channels red/green/blue.
//   image-mean.onnx image-probe.onnx without `pixels`: the tensor goes in, the three means come
//                   out (P9' times the image's path to the model, not 600 KB sent back).
//   text-probe.onnx input_ids, attention_mask, token_type_ids: int64 ['batch','tokens'] -> ids,
//                   mask, types: the same (Identity), so tests see what tokenization fed.
//                   text-probe.manifest.json names ../text/tokenizer.json (scripts/make-text-fixture.py).
//   mlp-fp16.onnx   mlp.onnx with float16 weights, float32 at its edges (Cast in, Cast out), as
//                   float16 exports with kept I/O types are; `mlp-variants.manifest.json` lists it
//                   as the "fp16" variant of mlp.onnx (the float32 default).
//
// All models: ir_version 8, opset 17 (default domain), producer_name "webinfer-fixtures".

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto'; // CJS module: its default export is { onnx }
import { mulberry32 } from './lib/random.mjs';

const { onnx } = onnxProto;
const { FLOAT, FLOAT16, INT64, BOOL } = onnx.TensorProto.DataType;
const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'models');

const HEAVY_SIZE = 256;
const HEAVY_LAYERS = 400;
const HEAVY_DISTINCT_WEIGHTS = 4;

/** `count` floats uniform in [-scale, scale], rounded to float32 so JS references match exactly. */
function randomFloats(rand, count, scale = 1) {
  return Array.from({ length: count }, () => Math.fround((rand() * 2 - 1) * scale));
}

/** A graph input/output; each dim is a number (dim_value) or a string (symbolic dim_param). */
function tensorValueInfo(name, elemType, dims) {
  const dim = dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

/** A float32 initializer (constant weight) with the given dims and values. */
function initializer(name, dims, floats) {
  return { name, dims, dataType: FLOAT, floatData: floats };
}

/** An int64 tensor (used as a Constant node's value). */
function int64Tensor(name, dims, ints) {
  return { name, dims, dataType: INT64, int64Data: ints };
}

/** A node attribute; supports the kinds these fixtures need (int, float, tensor). */
function attribute(name, value) {
  const { AttributeType } = onnx.AttributeProto;
  if (typeof value === 'object') return { name, type: AttributeType.TENSOR, t: value };
  if (Number.isInteger(value)) return { name, type: AttributeType.INT, i: value };
  return { name, type: AttributeType.FLOAT, f: value };
}

/** A graph node; names are derived from the first output so they are unique and stable. */
function node(opType, input, output, attrs = {}) {
  const attributes = Object.entries(attrs).map(([k, v]) => attribute(k, v));
  return { opType, input, output, name: `${opType}_${output[0]}`, attribute: attributes };
}

/** Encodes a ModelProto around `graph` and writes it to OUT_DIR/file. */
function writeModel(file, graph) {
  const model = onnx.ModelProto.fromObject({
    irVersion: 8,
    producerName: 'webinfer-fixtures',
    opsetImport: [{ domain: '', version: 17 }],
    graph,
  });
  const bytes = onnx.ModelProto.encode(model).finish();
  writeFileSync(join(OUT_DIR, file), bytes);
  console.log(`wrote ${file} (${bytes.length} bytes)`);
}

function addModel() {
  return {
    name: 'add',
    node: [node('Add', ['a', 'b'], ['sum'])],
    input: [tensorValueInfo('a', FLOAT, [2, 3]), tensorValueInfo('b', FLOAT, [2, 3])],
    output: [tensorValueInfo('sum', FLOAT, [2, 3])],
  };
}

function mlpModel() {
  const rand = mulberry32(1);
  return {
    name: 'mlp',
    node: [
      node('Gemm', ['x', 'W1', 'B1'], ['h']),
      node('Relu', ['h'], ['h_relu']),
      node('Gemm', ['h_relu', 'W2', 'B2'], ['logits']),
    ],
    initializer: [
      initializer('W1', [4, 8], randomFloats(rand, 4 * 8)),
      initializer('B1', [8], randomFloats(rand, 8)),
      initializer('W2', [8, 3], randomFloats(rand, 8 * 3)),
      initializer('B2', [3], randomFloats(rand, 3)),
    ],
    input: [tensorValueInfo('x', FLOAT, ['batch', 4])],
    output: [tensorValueInfo('logits', FLOAT, ['batch', 3])],
  };
}

/** IEEE 754 half-precision bits of `value`, rounded to nearest even (what numpy's astype(float16) gives). */
function toHalfBits(value) {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  let mantissa = bits & 0x7fffff;
  if (exponent >= 0x1f) return sign | 0x7c00; // overflow to infinity (the fixtures stay far from it)
  if (exponent <= 0) {
    if (exponent < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - exponent;
    const half = mantissa >> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    return sign | (half + (rest > midpoint || (rest === midpoint && half & 1) ? 1 : 0));
  }
  const half = (exponent << 10) | (mantissa >> 13);
  const rest = mantissa & 0x1fff;
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}

/** mlp.onnx's graph with float16 weights between a Cast in and a Cast out. */
function mlpFp16Model() {
  const mlp = mlpModel();
  const half = (tensor) => ({
    name: tensor.name,
    dims: tensor.dims,
    dataType: FLOAT16,
    int32Data: tensor.floatData.map(toHalfBits),
  });
  return {
    name: 'mlp_fp16',
    node: [
      node('Cast', ['x'], ['x16'], { to: FLOAT16 }),
      node('Gemm', ['x16', 'W1', 'B1'], ['h']),
      node('Relu', ['h'], ['h_relu']),
      node('Gemm', ['h_relu', 'W2', 'B2'], ['logits16']),
      node('Cast', ['logits16'], ['logits'], { to: FLOAT }),
    ],
    initializer: mlp.initializer.map(half),
    input: mlp.input,
    output: mlp.output,
  };
}

function imageProbeModel() {
  return {
    name: 'image_probe',
    node: [
      node('Identity', ['image'], ['pixels']),
      node('GlobalAveragePool', ['image'], ['pooled']),
      node('Flatten', ['pooled'], ['channels']),
    ],
    input: [tensorValueInfo('image', FLOAT, [1, 3, 224, 224])],
    output: [tensorValueInfo('pixels', FLOAT, [1, 3, 224, 224]), tensorValueInfo('channels', FLOAT, [1, 3])],
  };
}

/** image-probe.onnx without its `pixels`: the image's tensor goes in, three numbers come out (P9'). */
function imageMeanModel() {
  const probe = imageProbeModel();
  return {
    ...probe,
    name: 'image_mean',
    node: probe.node.filter((n) => n.output[0] !== 'pixels'),
    output: probe.output.filter((o) => o.name !== 'pixels'),
  };
}

function textProbeModel() {
  const names = [
    ['input_ids', 'ids'],
    ['attention_mask', 'mask'],
    ['token_type_ids', 'types'],
  ];
  return {
    name: 'text_probe',
    node: names.map(([input, output]) => node('Identity', [input], [output])),
    input: names.map(([input]) => tensorValueInfo(input, INT64, ['batch', 'tokens'])),
    output: names.map(([, output]) => tensorValueInfo(output, INT64, ['batch', 'tokens'])),
  };
}

function allocModel() {
  return {
    name: 'alloc',
    node: [
      node('ConstantOfShape', ['n'], ['ones'], { value: { dims: [1], dataType: FLOAT, floatData: [1] } }),
      node('ReduceSum', ['ones'], ['sum'], { keepdims: 1 }),
    ],
    input: [tensorValueInfo('n', INT64, [1])],
    output: [tensorValueInfo('sum', FLOAT, [1])],
  };
}

function rowMixingModel() {
  return {
    name: 'row-mixing',
    node: [node('Softmax', ['x'], ['y'], { axis: 0 })],
    input: [tensorValueInfo('x', FLOAT, ['batch', 3])],
    output: [tensorValueInfo('y', FLOAT, ['batch', 3])],
  };
}

function int64BoolModel() {
  return {
    name: 'int64_bool',
    node: [
      node('Constant', [], ['one'], { value: int64Tensor('one', [], [1]) }),
      node('Add', ['ids', 'one'], ['ids_plus_one']),
      node('Not', ['mask'], ['mask_not']),
    ],
    input: [tensorValueInfo('ids', INT64, [1, 'n']), tensorValueInfo('mask', BOOL, [1, 'n'])],
    output: [tensorValueInfo('ids_plus_one', INT64, [1, 'n']), tensorValueInfo('mask_not', BOOL, [1, 'n'])],
  };
}

function heavyModel() {
  const rand = mulberry32(2);
  const n = HEAVY_SIZE;
  const scale = Math.sqrt(6 / n); // He-uniform: keeps activations O(1) through the Relu chain
  const initializers = [];
  for (let w = 0; w < HEAVY_DISTINCT_WEIGHTS; w++) {
    initializers.push(initializer(`W${w}`, [n, n], randomFloats(rand, n * n, scale)));
    initializers.push(initializer(`B${w}`, [n], randomFloats(rand, n, 0.1)));
  }
  const nodes = [];
  let prev = 'x';
  for (let i = 0; i < HEAVY_LAYERS; i++) {
    const w = i % HEAVY_DISTINCT_WEIGHTS;
    const out = i === HEAVY_LAYERS - 1 ? 'y' : `relu${i}`;
    nodes.push(node('MatMul', [prev, `W${w}`], [`mm${i}`]));
    nodes.push(node('Add', [`mm${i}`, `B${w}`], [`add${i}`]));
    nodes.push(node('Relu', [`add${i}`], [out]));
    prev = out;
  }
  return {
    name: 'heavy',
    node: nodes,
    initializer: initializers,
    input: [tensorValueInfo('x', FLOAT, [1, n])],
    output: [tensorValueInfo('y', FLOAT, [1, n])],
  };
}

/**
 * Moves every float initializer's values into `dataFile` (ONNX external data), as exporters do
 * for models over protobuf's 2 GB limit; returns the bytes of that file.
 */
function externalize(graph, dataFile) {
  const chunks = [];
  let offset = 0;
  for (const tensor of graph.initializer) {
    const bytes = Buffer.from(new Float32Array(tensor.floatData).buffer);
    tensor.floatData = [];
    tensor.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    tensor.externalData = [
      { key: 'location', value: dataFile },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(bytes.length) },
    ];
    chunks.push(bytes);
    offset += bytes.length;
  }
  return Buffer.concat(chunks);
}

const elemTypeNames = { [FLOAT]: 'float32', [INT64]: 'int64', [BOOL]: 'bool' };
const describe = (values) =>
  values.map(({ name, type }) => ({
    name,
    type: elemTypeNames[type.tensorType.elemType],
    dims: type.tensorType.shape.dim.map((d) => d.dimParam ?? d.dimValue),
  }));

const describeFiles = (files) =>
  files.map(({ file, role }) => {
    const bytes = readFileSync(join(OUT_DIR, file));
    return { url: file, role, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  });

/**
 * Writes `<id>.manifest.json` (webinfer/manifest@1) naming `files` beside it, with sizes and
 * hashes; `variants` are other builds of the same model ({ name, precision, files }).
 */
function writeManifest(id, graph, files, { variants, transforms } = {}) {
  const manifest = {
    format: 'webinfer/manifest@1',
    id,
    version: '1.0.0',
    files: describeFiles(files),
    inputs: describe(graph.input),
    outputs: describe(graph.output),
    ...(variants ? { variants: variants.map((variant) => ({ ...variant, files: describeFiles(variant.files) })) } : {}),
    ...(transforms ? { transforms } : {}),
  };
  writeFileSync(join(OUT_DIR, `${id}.manifest.json`), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`wrote ${id}.manifest.json`);
}

mkdirSync(OUT_DIR, { recursive: true });
writeModel('add.onnx', addModel());
writeModel('mlp.onnx', mlpModel());
writeModel('int64-bool.onnx', int64BoolModel());
writeModel('heavy.onnx', heavyModel());
writeModel('row-mixing.onnx', rowMixingModel());
writeModel('alloc.onnx', allocModel());
writeModel('mlp-fp16.onnx', mlpFp16Model());
writeModel('text-probe.onnx', textProbeModel());
writeManifest(
  'text-probe',
  textProbeModel(),
  [
    { file: 'text-probe.onnx', role: 'model' },
    { file: '../text/tokenizer.json', role: 'tokenizer' },
  ],
  {
    transforms: {
      inputs: {
        input_ids: [
          { op: 'text', maxLength: 12, padding: 'max-length', attentionMask: 'attention_mask', tokenTypeIds: 'token_type_ids' },
        ],
      },
    },
  },
);
writeModel('image-probe.onnx', imageProbeModel());
const imageProbeTransforms = {
  inputs: {
    image: [
      { op: 'image', width: 224, height: 224, fit: 'stretch' },
      { op: 'scale', by: 1 / 255 },
      { op: 'normalize', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
      { op: 'layout', to: 'nchw' },
    ],
  },
  outputs: { channels: [{ op: 'top-k', k: 3, labels: ['red', 'green', 'blue'] }] },
};
writeManifest('image-probe', imageProbeModel(), [{ file: 'image-probe.onnx', role: 'model' }], {
  transforms: imageProbeTransforms,
});
writeModel('image-mean.onnx', imageMeanModel());
writeManifest('image-mean', imageMeanModel(), [{ file: 'image-mean.onnx', role: 'model' }], {
  transforms: imageProbeTransforms,
});
writeManifest('mlp', mlpModel(), [{ file: 'mlp.onnx', role: 'model' }]);
// mlp.onnx read as a tabular classifier: four columns from three named fields, and its logits
// as the two likeliest of three labelled classes.
writeManifest('mlp-tabular', mlpModel(), [{ file: 'mlp.onnx', role: 'model' }], {
  transforms: {
    inputs: {
      x: [
        {
          op: 'row',
          fields: [
            { name: 'age', impute: 40, standardize: { mean: 40, std: 10 } },
            { name: 'hours', minMax: { min: 0, max: 80 } },
            { name: 'color', oneHot: ['red', 'blue'], unknown: 'ignore' },
          ],
        },
      ],
    },
    outputs: { logits: [{ op: 'softmax' }, { op: 'top-k', k: 2, labels: ['low', 'mid', 'high'] }] },
  },
});
writeManifest('mlp-variants', mlpModel(), [{ file: 'mlp.onnx', role: 'model' }], {
  variants: [{ name: 'fp16', precision: 'float16', files: [{ file: 'mlp-fp16.onnx', role: 'model' }] }],
});

// The same MLP with its weights in an external-data file, and a manifest naming both.
const external = mlpModel();
writeFileSync(join(OUT_DIR, 'mlp-external.weights'), externalize(external, 'mlp-external.weights'));
writeModel('mlp-external.onnx', external);
writeManifest('mlp-external', external, [
  { file: 'mlp-external.onnx', role: 'model' },
  { file: 'mlp-external.weights', role: 'external-data' },
]);
