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

export const largeModel = {
  id: 'large',
  file: 'large.onnx',
  features: 2048,
  layers: 12,
  /** Weight files: layers are spread evenly over them. */
  weightFiles: ['large.weights-0.bin', 'large.weights-1.bin'],
};

const layerBytes = largeModel.features * largeModel.features * 4;
const layersPerFile = Math.ceil(largeModel.layers / largeModel.weightFiles.length);

/**
 * Layer `layer`'s weights: uniform in ±sqrt(3 / features), so activations stay O(1).
 *
 * @param {number} layer
 */
export function layerWeights(layer) {
  const rand = mulberry32(1000 + layer);
  const scale = Math.sqrt(3 / largeModel.features);
  const weights = new Float32Array(largeModel.features * largeModel.features);
  for (let i = 0; i < weights.length; i++) weights[i] = (rand() * 2 - 1) * scale;
  return weights;
}

/** The graph, with every weight pointing into its external file. */
function graph() {
  const { features, layers, weightFiles } = largeModel;
  /** @param {number[]} d */
  const dims = (d) => ({ tensorType: { elemType: FLOAT, shape: { dim: d.map((dimValue) => ({ dimValue })) } } });
  const node = [];
  const initializer = [];
  let previous = 'x';
  for (let layer = 0; layer < layers; layer++) {
    const file = Math.floor(layer / layersPerFile);
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
        { key: 'offset', value: String((layer % layersPerFile) * layerBytes) },
        { key: 'length', value: String(layerBytes) },
      ],
    });
    previous = output;
  }
  return {
    name: 'large',
    node,
    initializer,
    input: [{ name: 'x', type: dims([1, features]) }],
    output: [{ name: 'y', type: dims([1, features]) }],
  };
}

/**
 * The bytes each weight file must have.
 *
 * @param {number} index
 */
function weightFileBytes(index) {
  const layers = Math.min(layersPerFile, largeModel.layers - index * layersPerFile);
  return layers * layerBytes;
}

/**
 * Writes the model and its weight files into `dir` unless they are there already; returns the
 * model file's path and the total bytes.
 *
 * @param {string} dir
 * @returns {{ model: string, bytes: number }}
 */
export function writeLargeModel(dir) {
  mkdirSync(dir, { recursive: true });
  const model = join(dir, largeModel.file);
  /** @type {(file: string, bytes?: number) => boolean} */
  const present = (file, bytes) => existsSync(file) && (bytes === undefined || statSync(file).size === bytes);
  largeModel.weightFiles.forEach((name, index) => {
    const path = join(dir, name);
    if (present(path, weightFileBytes(index))) return;
    const data = Buffer.alloc(weightFileBytes(index));
    for (let local = 0; local * layerBytes < data.length; local++) {
      const weights = layerWeights(index * layersPerFile + local);
      data.set(new Uint8Array(weights.buffer), local * layerBytes);
    }
    writeFileSync(path, data);
  });
  if (!present(model)) {
    const proto = onnx.ModelProto.fromObject({
      irVersion: 8,
      producerName: 'webinfer-fixtures',
      opsetImport: [{ domain: '', version: 17 }],
      graph: graph(),
    });
    writeFileSync(model, onnx.ModelProto.encode(proto).finish());
  }
  const bytes = statSync(model).size + largeModel.weightFiles.reduce((sum, _, index) => sum + weightFileBytes(index), 0);
  return { model, bytes };
}

/**
 * What the model computes for `x`, in float64 (a reference independent of onnxruntime).
 *
 * @param {Float32Array} x
 * @returns {Float32Array}
 */
export function largeModelReference(x) {
  const n = largeModel.features;
  let activations = Float64Array.from(x);
  for (let layer = 0; layer < largeModel.layers; layer++) {
    const weights = layerWeights(layer);
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
