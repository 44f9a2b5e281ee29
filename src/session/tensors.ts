import type { Tensor as OrtTensor } from 'onnxruntime-web';
import type { Feeds, Tensor, TensorInfo, Tensors, TensorType } from '../types.js';
import type { OrtModule } from './ort-loader.js';
import { isTensorType } from './validate-feeds.js';

/** Wraps feeds as onnxruntime-web tensors without copying their data. */
export function toOrtFeeds(ort: OrtModule, feeds: Feeds): Record<string, OrtTensor> {
  const result: Record<string, OrtTensor> = {};
  for (const [name, { type, data, dims }] of Object.entries(feeds)) {
    result[name] = new ort.Tensor(type, data as never, dims);
  }
  return result;
}

/**
 * Turns session outputs into plain tensors, each owning its whole buffer so that it can be
 * transferred: a view over part of a larger (or shared) buffer is copied first, so only the
 * output's own bytes cross to the page.
 */
export function fromOrtOutputs(outputs: Readonly<Record<string, OrtTensor>>): Tensors {
  const result: Tensors = {};
  const buffers = new Set<ArrayBuffer>();
  for (const [name, tensor] of Object.entries(outputs)) {
    let data = tensor.data as Tensor['data'];
    if (ArrayBuffer.isView(data)) {
      const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
      if (!whole || !(data.buffer instanceof ArrayBuffer) || buffers.has(data.buffer)) data = data.slice();
      buffers.add(data.buffer as ArrayBuffer);
    }
    result[name] = { type: tensor.type as TensorType, data, dims: [...tensor.dims] } as Tensor;
    tensor.dispose();
  }
  return result;
}

type ValueMetadata = {
  readonly name: string;
  readonly isTensor: boolean;
  readonly type?: string;
  readonly shape?: ReadonlyArray<number | string>;
};

/** The declared inputs or outputs of a session, as webinfer reports them. */
export function describeValues(metadata: readonly ValueMetadata[]): TensorInfo[] {
  return metadata.map((value) => ({
    name: value.name,
    type: value.isTensor && isTensorType(value.type) ? value.type : 'unknown',
    dims: value.isTensor && value.shape ? value.shape.map(normalizeDim) : null,
  }));
}

/**
 * onnxruntime-web reports a dynamic dimension that has no name as 4294967295 (-1 read as
 * unsigned, seen on Silero VAD); webinfer reports it as -1.
 */
function normalizeDim(dim: number | string): number | string {
  return typeof dim === 'number' && (dim < 0 || dim > 0x7fffffff) ? -1 : dim;
}
