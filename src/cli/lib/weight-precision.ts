import type { Precision } from '../../artifacts/manifest-schema.js';
import { int64ToNumber, onnx, type proto } from './onnx.js';

const { DataType } = onnx.TensorProto;
/** Element types that say what a model's weights are stored as; scales, biases and indices aside. */
const precisionOf = new Map<number, Precision>([
  [DataType.FLOAT, 'float32'],
  [DataType.FLOAT16, 'float16'],
  [DataType.INT8, 'int8'],
  [DataType.UINT8, 'uint8'],
  [22, 'int4'], // INT4 (ONNX 1.16), newer than onnx-proto's enum
  [21, 'int4'], // UINT4
]);

/**
 * What a model's weights are stored as: the element type holding most of its initializers'
 * elements (a quantized model's int8 weights outweigh its float32 scales). float32 when it has
 * none of these.
 */
export function weightPrecision(graph: proto.IGraphProto): Precision {
  const elements = new Map<Precision, number>();
  for (const tensor of graph.initializer ?? []) {
    const precision = precisionOf.get(tensor.dataType ?? 0);
    if (!precision) continue;
    const count = (tensor.dims ?? []).reduce<number>((product, dim) => product * int64ToNumber(dim), 1);
    elements.set(precision, (elements.get(precision) ?? 0) + count);
  }
  let best: Precision = 'float32';
  for (const [precision, count] of elements) if (count > (elements.get(best) ?? 0)) best = precision;
  return best;
}
