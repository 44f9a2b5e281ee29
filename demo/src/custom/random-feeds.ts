import type { Feeds, Tensor, TensorInfo } from 'webinfer';

/** A declared shape made concrete: symbolic and unknown dimensions become 1. */
export function concreteDims(info: TensorInfo): number[] {
  return (info.dims ?? [1]).map((d) => (typeof d === 'number' && d > 0 ? d : 1));
}

/** Why an input cannot be generated, or undefined when it can. */
export function ungenerable(info: TensorInfo): string | undefined {
  return info.type === 'unknown' ? 'not a tensor (a sequence or a map)' : undefined;
}

/** A float's IEEE 754 half-precision bits (round to nearest), for float16 inputs. */
function toHalf(value: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value);
  const bits = view.getUint32(0);
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  if (exponent <= 0) return sign;
  if (exponent >= 31) return sign | 0x7c00;
  // Added, not or-ed: a mantissa that rounds up past 0x3ff carries into the exponent.
  return (sign | (exponent << 10)) + ((bits >>> 13) & 0x3ff) + ((bits >>> 12) & 1);
}

/** One input filled with random values of its type: floats in [-1, 1), small integers, random booleans. */
function randomTensor(info: TensorInfo): Tensor {
  const dims = concreteDims(info);
  const size = dims.reduce((n, d) => n * d, 1);
  const float = () => Math.random() * 2 - 1;
  const small = () => Math.floor(Math.random() * 10);
  switch (info.type) {
    case 'float32':
      return { type: 'float32', dims, data: Float32Array.from({ length: size }, float) };
    case 'float64':
      return { type: 'float64', dims, data: Float64Array.from({ length: size }, float) };
    case 'float16':
      return { type: 'float16', dims, data: Uint16Array.from({ length: size }, () => toHalf(float())) };
    case 'int8':
      return { type: 'int8', dims, data: Int8Array.from({ length: size }, small) };
    case 'uint8':
      return { type: 'uint8', dims, data: Uint8Array.from({ length: size }, () => Math.floor(Math.random() * 256)) };
    case 'int16':
      return { type: 'int16', dims, data: Int16Array.from({ length: size }, small) };
    case 'uint16':
      return { type: 'uint16', dims, data: Uint16Array.from({ length: size }, small) };
    case 'int32':
      return { type: 'int32', dims, data: Int32Array.from({ length: size }, small) };
    case 'uint32':
      return { type: 'uint32', dims, data: Uint32Array.from({ length: size }, small) };
    case 'int64':
      return { type: 'int64', dims, data: BigInt64Array.from({ length: size }, () => BigInt(small())) };
    case 'uint64':
      return { type: 'uint64', dims, data: BigUint64Array.from({ length: size }, () => BigInt(small())) };
    case 'bool':
      return { type: 'bool', dims, data: Uint8Array.from({ length: size }, () => (Math.random() < 0.5 ? 1 : 0)) };
    case 'string':
      return { type: 'string', dims, data: Array.from({ length: size }, () => 'webinfer') };
    case 'unknown':
      throw new Error(`Input "${info.name}" is ${ungenerable(info)}`);
  }
}

/** Random feeds for every input of a model, at its declared shapes. */
export function randomFeeds(inputs: readonly TensorInfo[]): Feeds {
  return Object.fromEntries(inputs.map((info) => [info.name, randomTensor(info)]));
}
