import type { Tensor } from '../types.js';

/** Element types a list of plain numbers can become (float16 and strings cannot). */
export const numericTypes = [
  'float32',
  'float64',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'bool',
] as const;

export type NumericType = (typeof numericTypes)[number];

const arrays = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
} as const;

/**
 * A tensor of `type` from plain numbers (as JSON holds them: a manifest's canary, a samples
 * file): 64-bit integers rounded to BigInt, booleans as 0 or 1, the rest cast as typed arrays do.
 */
export function tensorFromNumbers(type: NumericType, dims: readonly number[], values: readonly (number | boolean)[]): Tensor {
  const numbers = values.map(Number);
  switch (type) {
    case 'int64':
      return { type, dims, data: BigInt64Array.from(numbers, (x) => BigInt(Math.round(x || 0))) };
    case 'uint64':
      return { type, dims, data: BigUint64Array.from(numbers, (x) => BigInt(Math.max(0, Math.round(x || 0)))) };
    case 'bool':
      return { type, dims, data: Uint8Array.from(numbers, (x) => (x ? 1 : 0)) };
    default:
      return { type, dims, data: arrays[type].from(numbers) } as Tensor;
  }
}
