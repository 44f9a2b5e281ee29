import onnxProto from 'onnx-proto';

/**
 * The ONNX protobuf messages (onnx-proto: protobufjs static code generated from onnx.proto of
 * ONNX 1.10). The package is CommonJS: Node's ESM loader hands its `module.exports` over as the
 * default export. Fields added to onnx.proto since 1.10 are skipped when decoding, and element
 * types added since (FLOAT8*, INT4, ...) arrive as their plain numbers.
 */
export const { onnx } = onnxProto;
/** The message interfaces (`proto.IModelProto`, ...), a namespace of types only. */
export type { onnx as proto } from 'onnx-proto';

/** An int64 field as protobufjs decodes it: a `Long` when the `long` package is installed, else a number. */
export type Int64 = number | { toNumber(): number };

export function int64ToNumber(value: Int64 | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}
