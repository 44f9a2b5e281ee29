import { writeFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';

export const { onnx } = onnxProto;
const { FLOAT } = onnx.TensorProto.DataType;

/** A float32 tensor whose `length` bytes live in the external-data file `location`. */
function externalTensor(name: string, location: string, length: number) {
  return {
    name,
    dims: [length / 4],
    dataType: FLOAT,
    dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
    externalData: [
      { key: 'location', value: location },
      { key: 'offset', value: '0' },
      { key: 'length', value: String(length) },
    ],
  };
}

const valueInfo = (name: string, dims: number[]) => ({
  name,
  type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((dimValue) => ({ dimValue })) } } },
});

/**
 * Writes a small model whose weights are external data: an initializer in `initializer.location`
 * (also listed as a graph input, as exporters before IR version 4 did) and a Constant node whose
 * tensor is in `constant.location`. The graph is never run, only read.
 */
export function writeExternalDataModel(
  file: string,
  { initializer, constant }: { initializer: { location: string; bytes: number }; constant: { location: string; bytes: number } },
): void {
  const graph = {
    name: 'external',
    initializer: [externalTensor('W', initializer.location, initializer.bytes)],
    node: [
      {
        opType: 'Constant',
        output: ['C'],
        name: 'Constant_C',
        attribute: [
          {
            name: 'value',
            type: onnx.AttributeProto.AttributeType.TENSOR,
            t: externalTensor('C', constant.location, constant.bytes),
          },
        ],
      },
      { opType: 'Add', input: ['x', 'W'], output: ['xw'], name: 'Add_xw' },
      { opType: 'Identity', input: ['C'], output: ['c'], name: 'Identity_c' },
    ],
    input: [valueInfo('x', [initializer.bytes / 4]), valueInfo('W', [initializer.bytes / 4])],
    output: [valueInfo('xw', [initializer.bytes / 4]), valueInfo('c', [constant.bytes / 4])],
  };
  writeModel(file, graph);
}

/** Encodes a ModelProto (IR version 8, opset 17) around `graph`, given as protobufjs plain objects. */
export function writeModel(file: string, graph: Record<string, unknown>): void {
  const model = onnx.ModelProto.fromObject({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph });
  writeFileSync(file, onnx.ModelProto.encode(model).finish());
}
