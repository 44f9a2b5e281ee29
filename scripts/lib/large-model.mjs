/**
 * The large synthetic model of the artifact tests and the bench: about 200 MB of float32 weights
 * in ONNX external data, split over several files the way exporters split models past 2 GB, so
 * that no file, and no buffer webinfer builds, holds all of them. Twelve layers of
 * `y = tanh(x · W)` over 2048 features. Plain JS, shared by the test rig and `npm run bench`;
 * written once per folder (the files are deterministic, their sizes say whether they are there).
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { mulberry32 } from './random.mjs';

const { onnx } = onnxProto;
const { FLOAT } = onnx.TensorProto.DataType;

/**
 * @typedef {object} SyntheticModel
 * @property {string} id
 * @property {string} file
 * @property {number} features
 * @property {number} layers
 * @property {string[]} weightFiles Layers are spread evenly over them.
 * @property {string} [batchDim] Names the first dimension of `x` and `y` (dynamic) instead of 1.
 */

/** @type {SyntheticModel} */
export const largeModel = {
  id: 'large',
  file: 'large.onnx',
  features: 2048,
  layers: 12,
  weightFiles: ['large.weights-0.bin', 'large.weights-1.bin'],
};

/**
 * Past 2 GB (2.25 GiB of weights in three 768 MiB files), for the opt-in `bench --only huge`:
 * too heavy for the test suite on this machine.
 *
 * @type {SyntheticModel}
 */
export const hugeModel = {
  id: 'huge',
  file: 'huge.onnx',
  features: 4096,
  layers: 36,
  weightFiles: ['huge.weights-0.bin', 'huge.weights-1.bin', 'huge.weights-2.bin'],
};

/**
 * 40 MiB in two files: enough to overrun the small quota the quota-exceeded test sets, and quick
 * to write.
 *
 * @type {SyntheticModel}
 */
export const mediumModel = {
  id: 'medium',
  file: 'medium.onnx',
  features: 1024,
  layers: 10,
  weightFiles: ['medium.weights-0.bin', 'medium.weights-1.bin'],
};

/**
 * 16 MiB over a dynamic `batch` dimension: one row reads every weight for little arithmetic, so
 * stacking rows pays (the micro-batching figure, P6).
 *
 * @type {SyntheticModel}
 */
export const batchableModel = {
  id: 'batchable',
  file: 'batchable.onnx',
  features: 1024,
  layers: 4,
  weightFiles: ['batchable.weights.bin'],
  batchDim: 'batch',
};

/** @param {SyntheticModel} spec */
const layerBytes = (spec) => spec.features * spec.features * 4;
/** @param {SyntheticModel} spec */
const layersPerFile = (spec) => Math.ceil(spec.layers / spec.weightFiles.length);

/**
 * Layer `layer`'s weights: uniform in ±sqrt(3 / features), so activations stay O(1).
 *
 * @param {number} layer
 * @param {SyntheticModel} spec
 */
export function layerWeights(layer, spec = largeModel) {
  const rand = mulberry32(1000 + layer);
  const scale = Math.sqrt(3 / spec.features);
  const weights = new Float32Array(spec.features * spec.features);
  for (let i = 0; i < weights.length; i++) weights[i] = (rand() * 2 - 1) * scale;
  return weights;
}

/**
 * The graph, with every weight pointing into its external file.
 *
 * @param {SyntheticModel} spec
 */
function graph(spec) {
  const { features, layers, weightFiles } = spec;
  const rows = spec.batchDim === undefined ? { dimValue: 1 } : { dimParam: spec.batchDim };
  const value = () => ({ tensorType: { elemType: FLOAT, shape: { dim: [rows, { dimValue: features }] } } });
  const node = [];
  const initializer = [];
  let previous = 'x';
  for (let layer = 0; layer < layers; layer++) {
    const file = Math.floor(layer / layersPerFile(spec));
    const output = layer === layers - 1 ? 'y' : `h${layer}`;
    node.push({ opType: 'MatMul', input: [previous, `W${layer}`], output: [`mm${layer}`], name: `MatMul_${layer}` });
    node.push({ opType: 'Tanh', input: [`mm${layer}`], output: [output], name: `Tanh_${layer}` });
    initializer.push({
      name: `W${layer}`,
      dims: [features, features],
      dataType: FLOAT,
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: weightFiles[file] },
        { key: 'offset', value: String((layer % layersPerFile(spec)) * layerBytes(spec)) },
        { key: 'length', value: String(layerBytes(spec)) },
      ],
    });
    previous = output;
  }
  return {
    name: spec.id,
    node,
    initializer,
    input: [{ name: 'x', type: value() }],
    output: [{ name: 'y', type: value() }],
  };
}

/**
 * The bytes each weight file must have.
 *
 * @param {number} index
 * @param {SyntheticModel} spec
 */
function weightFileBytes(index, spec) {
  const layers = Math.min(layersPerFile(spec), spec.layers - index * layersPerFile(spec));
  return layers * layerBytes(spec);
}

/**
 * Writes the model and its weight files into `dir` unless they are there already; returns the
 * model file's path and the total bytes.
 *
 * @param {string} dir
 * @param {SyntheticModel} spec
 * @returns {{ model: string, bytes: number }}
 */
export function writeLargeModel(dir, spec = largeModel) {
  mkdirSync(dir, { recursive: true });
  const model = join(dir, spec.file);
  /** @type {(file: string, bytes?: number) => boolean} */
  const present = (file, bytes) => existsSync(file) && (bytes === undefined || statSync(file).size === bytes);
  spec.weightFiles.forEach((name, index) => {
    const path = join(dir, name);
    if (present(path, weightFileBytes(index, spec))) return;
    const data = Buffer.alloc(weightFileBytes(index, spec));
    for (let local = 0; local * layerBytes(spec) < data.length; local++) {
      const weights = layerWeights(index * layersPerFile(spec) + local, spec);
      data.set(new Uint8Array(weights.buffer), local * layerBytes(spec));
    }
    writeFileSync(path, data);
  });
  if (!present(model)) {
    const proto = onnx.ModelProto.fromObject({
      irVersion: 8,
      producerName: 'webinfer-fixtures',
      opsetImport: [{ domain: '', version: 17 }],
      graph: graph(spec),
    });
    writeFileSync(model, onnx.ModelProto.encode(proto).finish());
  }
  const bytes = statSync(model).size + spec.weightFiles.reduce((sum, _, index) => sum + weightFileBytes(index, spec), 0);
  return { model, bytes };
}

/**
 * What the model computes for `x`, in float64 (a reference independent of onnxruntime).
 *
 * @param {Float32Array} x
 * @param {SyntheticModel} spec
 * @returns {Float32Array}
 */
export function largeModelReference(x, spec = largeModel) {
  const n = spec.features;
  let activations = Float64Array.from(x);
  for (let layer = 0; layer < spec.layers; layer++) {
    const weights = layerWeights(layer, spec);
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = /** @type {number} */ (activations[i]);
      if (a === 0) continue;
      const row = i * n;
      for (let j = 0; j < n; j++) next[j] = /** @type {number} */ (next[j]) + a * /** @type {number} */ (weights[row + j]);
    }
    activations = next.map(Math.tanh);
  }
  return Float32Array.from(activations);
}
