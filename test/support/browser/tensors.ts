import type { Feeds, Outputs, OutputValue, Tensor } from '../../../src/index.js';

/** A seeded PRNG (mulberry32), so every run feeds the same "random" inputs. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Float32 values uniform in [-scale, scale). */
export function randomFloats(random: () => number, length: number, scale = 1): Float32Array {
  return Float32Array.from({ length }, () => (random() * 2 - 1) * scale);
}

/** A deep copy of feeds, since `run` transfers (detaches) the buffers it is given. */
export function copyFeeds(feeds: Feeds): Feeds {
  return Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, { ...t, data: t.data.slice() } as Tensor]));
}

/** The raw bytes of a tensor's data, for bit-for-bit comparison. */
export function bytesOf(tensor: OutputValue | undefined): Uint8Array {
  if (!tensor || tensor.type === 'predictions' || !ArrayBuffer.isView(tensor.data)) throw new Error('expected a numeric tensor');
  const { buffer, byteOffset, byteLength } = tensor.data;
  return new Uint8Array(buffer, byteOffset, byteLength);
}

/** Largest absolute difference between two float tensors. */
export function maxAbsDiff(a: OutputValue | undefined, b: OutputValue | undefined): number {
  const x = a?.data as Float32Array;
  const y = b?.data as Float32Array;
  if (x.length !== y.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs((x[i] as number) - (y[i] as number)));
  return max;
}

/** Every output name with its dims, for a readable failure. */
export function shapes(outputs: Outputs): Record<string, readonly number[]> {
  return Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, t.dims]));
}

/** A copy of a float output's values; fails the test when the output is missing. */
export function floatsOf(tensor: OutputValue | undefined): Float32Array<ArrayBuffer> {
  if (!(tensor?.data instanceof Float32Array)) throw new Error(`expected a float32 output, got ${tensor?.type}`);
  return new Float32Array(tensor.data);
}
