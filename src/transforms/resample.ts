/**
 * Resizing as Pillow's `Image.resize(size, Image.BILINEAR)` does it (libImaging/Resample.c), so
 * that a model sees the pixels it was trained on: a triangle filter whose support widens with the
 * downscale factor (an antialiased resize, where a canvas `drawImage` samples 2×2 pixels and
 * aliases), coefficients in 22-bit fixed point, a horizontal pass over the rows the vertical pass
 * needs, rounded to 8 bits between passes, then the vertical pass. Same integer arithmetic, same
 * bytes.
 */

/** Fixed-point bits of the coefficients: 32 − 8 (pixel) − 2 (headroom), as Pillow. */
const precisionBits = 22;
const half = 1 << (precisionBits - 1);

/** Pixels in rows of `width` × `channels` bytes (RGB: 3, RGBA: 4). */
export interface Pixels {
  readonly data: Uint8Array | Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

/** Per output position: the first input position, how many, and their weights (`size` slots each). */
export interface FilterWeights<W extends Int32Array | Float64Array = Float64Array> {
  readonly start: Int32Array;
  readonly count: Int32Array;
  readonly size: number;
  readonly weights: W;
}

/**
 * Pillow's `precompute_coeffs` for the bilinear (triangle) filter: the taps of each output
 * position over [in0, in1) of an axis of `inSize`, weights normalized to sum to 1.
 */
export function filterWeights(inSize: number, in0: number, in1: number, outSize: number): FilterWeights {
  const scale = (in1 - in0) / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale; // the bilinear filter's support is 1
  const size = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * size);
  for (let out = 0; out < outSize; out++) {
    const center = in0 + (out + 0.5) * scale;
    const min = Math.max(Math.trunc(center - support + 0.5), 0);
    const n = Math.min(Math.trunc(center + support + 0.5), inSize) - min;
    let total = 0;
    for (let x = 0; x < n; x++) {
      const w = Math.max(0, 1 - Math.abs((x + min - center + 0.5) / filterScale));
      weights[out * size + x] = w;
      total += w;
    }
    if (total !== 0) for (let x = 0; x < n; x++) weights[out * size + x] = (weights[out * size + x] as number) / total;
    start[out] = min;
    count[out] = n;
  }
  return { start, count, size, weights };
}

/** A weight in fixed point with `bits` fraction bits, rounded half away from zero (as Pillow). */
export const toFixed = (weight: number, bits: number): number =>
  Math.trunc(weight < 0 ? -0.5 + weight * 2 ** bits : 0.5 + weight * 2 ** bits);

/** Pillow's `normalize_coeffs_8bpc`: the weights in 22-bit fixed point. */
function coefficients(inSize: number, in0: number, in1: number, outSize: number): FilterWeights<Int32Array> {
  const { weights, ...taps } = filterWeights(inSize, in0, in1, outSize);
  return { ...taps, weights: Int32Array.from(weights, (w) => toFixed(w, precisionBits)) };
}

const clip8 = (sum: number) => (sum <= 0 ? 0 : sum >= 255 << precisionBits ? 255 : sum >> precisionBits);

/**
 * Resizes the box [x0, y0, x1, y1) of `source` (default: all of it) to `width` × `height`, as
 * Pillow's `resize(size, BILINEAR, box)`. Keeps the first `keep` channels (3: drop alpha).
 */
export function resizeBilinear(
  source: Pixels,
  width: number,
  height: number,
  {
    box = [0, 0, source.width, source.height],
    keep = source.channels,
  }: { box?: readonly [number, number, number, number]; keep?: number } = {},
): Pixels {
  const [x0, y0, x1, y1] = box;
  const horizontal = coefficients(source.width, x0, x1, width);
  const vertical = coefficients(source.height, y0, y1, height);
  // Only the rows the vertical pass reads go through the horizontal pass.
  const firstRow = vertical.start[0] as number;
  const lastRow = (vertical.start[height - 1] as number) + (vertical.count[height - 1] as number);
  const temp = horizontalPass(source, horizontal, width, firstRow, lastRow - firstRow, keep);
  const result = new Uint8Array(width * height * keep);
  const stride = width * keep;
  const sums = new Int32Array(stride);
  for (let y = 0; y < height; y++) {
    const start = (vertical.start[y] as number) - firstRow;
    const n = vertical.count[y] as number;
    const k = y * vertical.size;
    sums.fill(half);
    // Row by row of the taps: each inner loop runs over contiguous bytes.
    for (let i = 0; i < n; i++) {
      const w = vertical.weights[k + i] as number;
      const base = (start + i) * stride;
      for (let x = 0; x < stride; x++) sums[x] = (sums[x] as number) + Math.imul(temp[base + x] as number, w);
    }
    const out = y * stride;
    for (let x = 0; x < stride; x++) result[out + x] = clip8(sums[x] as number);
  }
  return { data: result, width, height, channels: keep };
}

/** The horizontal pass over `rows` rows from `firstRow`, keeping `keep` channels: 8-bit results. */
function horizontalPass(
  source: Pixels,
  h: FilterWeights<Int32Array>,
  width: number,
  firstRow: number,
  rows: number,
  keep: number,
): Uint8Array {
  const { data, channels } = source;
  const inStride = source.width * channels;
  const temp = new Uint8Array(width * rows * keep);
  const { start, count, size, weights } = h;
  // RGBA read as one 32-bit word per pixel: one load per tap instead of three (little-endian:
  // red is the low byte, as on every platform browsers run on).
  if (channels === 4 && keep === 3 && data.byteOffset % 4 === 0) {
    const words = new Uint32Array(data.buffer, data.byteOffset, data.byteLength >> 2);
    for (let y = 0; y < rows; y++) {
      const row = (y + firstRow) * source.width;
      let out = y * width * 3;
      for (let x = 0; x < width; x++, out += 3) {
        const n = count[x] as number;
        const k = x * size;
        const at = row + (start[x] as number);
        let r = half;
        let g = half;
        let b = half;
        for (let i = 0; i < n; i++) {
          const w = weights[k + i] as number;
          const pixel = words[at + i] as number;
          // Integer arithmetic throughout (sums stay below 2^31): the JIT keeps it in int32.
          r = (r + Math.imul(pixel & 0xff, w)) | 0;
          g = (g + Math.imul((pixel >>> 8) & 0xff, w)) | 0;
          b = (b + Math.imul((pixel >>> 16) & 0xff, w)) | 0;
        }
        temp[out] = clip8(r);
        temp[out + 1] = clip8(g);
        temp[out + 2] = clip8(b);
      }
    }
    return temp;
  }
  for (let y = 0; y < rows; y++) {
    const row = (y + firstRow) * inStride;
    let out = y * width * keep;
    for (let x = 0; x < width; x++, out += keep) {
      const n = count[x] as number;
      const k = x * size;
      const at = row + (start[x] as number) * channels;
      for (let c = 0; c < keep; c++) {
        let sum = half;
        for (let i = 0, p = at + c; i < n; i++, p += channels) sum += (data[p] as number) * (weights[k + i] as number);
        temp[out + c] = clip8(sum);
      }
    }
  }
  return temp;
}
