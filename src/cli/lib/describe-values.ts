import type { Manifest } from '../../artifacts/manifest-schema.js';
import { CliError } from './cli-error.js';
import { int64ToNumber, onnx, type proto } from './onnx.js';

export type TensorEntry = Manifest['inputs'][number];
type TensorType = TensorEntry['type'];

const { DataType } = onnx.TensorProto;

/** ONNX `TensorProto.DataType` → the manifest's (and onnxruntime-web's) element type names. */
const tensorTypes: ReadonlyMap<number, TensorType> = new Map([
  [DataType.FLOAT, 'float32'],
  [DataType.FLOAT16, 'float16'],
  [DataType.DOUBLE, 'float64'],
  [DataType.INT8, 'int8'],
  [DataType.UINT8, 'uint8'],
  [DataType.INT16, 'int16'],
  [DataType.UINT16, 'uint16'],
  [DataType.INT32, 'int32'],
  [DataType.UINT32, 'uint32'],
  [DataType.INT64, 'int64'],
  [DataType.UINT64, 'uint64'],
  [DataType.BOOL, 'bool'],
  [DataType.STRING, 'string'],
]);

/** What a non-tensor `TypeProto` is called in messages, by its oneof field. */
const valueKinds: Readonly<Record<string, string>> = {
  sequenceType: 'a sequence',
  mapType: 'a map',
  optionalType: 'an optional',
  sparseTensorType: 'a sparse tensor',
};

/**
 * The graph's inputs or outputs as manifest entries `{ name, type, dims }`. A dim is its size
 * (`dim_value`), its symbol (`dim_param`), or -1 when dynamic and unnamed, as `model.info` reports
 * it. A value the manifest cannot describe (a sequence, a map, an element type onnxruntime-web
 * has no array for) fails with a `CliError` naming it.
 */
export function describeValues(
  values: readonly proto.IValueInfoProto[],
  { file, role }: { file: string; role: 'input' | 'output' },
): TensorEntry[] {
  return values.map((value) => {
    const name = value.name ?? '';
    const fail = (why: string) => new CliError(`${file}: ${role} "${name}" ${why}`);
    const kind = (value.type as proto.TypeProto | null | undefined)?.value;
    const tensor = value.type?.tensorType;
    if (kind !== 'tensorType' || !tensor) {
      throw fail(kind ? `is ${valueKinds[kind] ?? kind}; a manifest describes tensors only` : 'declares no type');
    }
    const elemType = tensor.elemType ?? 0;
    const type = tensorTypes.get(elemType);
    if (!type) {
      const onnxName = (DataType as unknown as Record<number, string | undefined>)[elemType] ?? `element type ${elemType}`;
      throw fail(`has ONNX type ${onnxName}, which webinfer cannot feed or read`);
    }
    // No shape at all (unknown rank) is written as [], which is what onnxruntime-web reports for
    // it and what the runtime leaves unchecked (src/session/validate-feeds.ts).
    const dims = (tensor.shape?.dim ?? []).map(describeDim);
    return { name, type, dims };
  });
}

function describeDim(dim: proto.TensorShapeProto.IDimension): number | string {
  // `value` is protobufjs's oneof getter: which of dim_value / dim_param is set, if either.
  const which = (dim as proto.TensorShapeProto.Dimension).value;
  if (which === 'dimValue') return int64ToNumber(dim.dimValue);
  if (which === 'dimParam' && dim.dimParam) return dim.dimParam;
  return -1;
}
