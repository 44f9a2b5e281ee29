import { readFile, stat } from 'node:fs/promises';
import type { Precision } from '../../artifacts/manifest-schema.js';
import { CliError, fileError } from './cli-error.js';
import { describeValues, type TensorEntry } from './describe-values.js';
import { externalDataLocations } from './external-data.js';
import { int64ToNumber, onnx, type proto } from './onnx.js';
import { weightPrecision } from './weight-precision.js';

/**
 * Protobuf messages are limited to 2 GiB (protobuf's `kint32max` total byte limit), which is why
 * larger models keep their weights in external data; a bigger `.onnx` file cannot be a model.
 * It is also the most Node's `readFile` returns in one buffer.
 */
const protobufMaxBytes = 2 ** 31 - 1;

/** What a manifest needs from a model graph. */
export interface OnnxSummary {
  readonly inputs: TensorEntry[];
  readonly outputs: TensorEntry[];
  /** External-data `location`s, as the graph spells them (relative to the model's folder). */
  readonly externalData: string[];
  /** What the weights are stored as (see `weightPrecision`). */
  readonly precision: Precision;
}

/** Reads and decodes an ONNX model file; a file that is missing or not a model fails with a `CliError`. */
export async function readOnnx(file: string): Promise<OnnxSummary> {
  const model = decodeModel(await readModelBytes(file), file);
  const graph = model.graph as proto.IGraphProto;
  // Exporters before IR version 4 list every initializer as a graph input too; they are weights, not feeds.
  const initializers = new Set((graph.initializer ?? []).map((tensor) => tensor.name));
  return {
    inputs: describeValues(
      (graph.input ?? []).filter((value) => !initializers.has(value.name)),
      { file, role: 'input' },
    ),
    outputs: describeValues(graph.output ?? [], { file, role: 'output' }),
    externalData: externalDataLocations(model, file),
    precision: weightPrecision(graph),
  };
}

async function readModelBytes(file: string): Promise<Uint8Array> {
  try {
    // The size is checked before reading; a directory passes here and readFile says EISDIR.
    const info = await stat(file);
    if (info.size > protobufMaxBytes) {
      throw new CliError(`${file} is not an ONNX model: ${info.size} bytes is past protobuf's 2 GiB limit`);
    }
    return await readFile(file);
  } catch (error) {
    throw error instanceof CliError ? error : fileError(error, file);
  }
}

function decodeModel(bytes: Uint8Array, file: string): proto.ModelProto {
  const notAModel = (why: string, cause?: unknown) =>
    new CliError(`${file} is not an ONNX model (${why})`, cause === undefined ? {} : { cause });
  let model: proto.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw notAModel(`protobuf decoding failed: ${(error as Error).message}`, error);
  }
  // Arbitrary bytes sometimes decode as a message of unknown fields; a model has both of these.
  if (int64ToNumber(model.irVersion) <= 0) throw notAModel('no ir_version');
  if (!model.graph) throw notAModel('no graph');
  return model;
}
