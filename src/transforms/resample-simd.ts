import { type FilterWeights, filterWeights, type Pixels, toFixed } from './resample.js';
import { kernelBytes, releaseLargeMemory, simdKernel } from './simd-kernel.js';

/**
 * Pillow's BILINEAR resize of RGBA pixels with WebAssembly SIMD (image-simd.wat): the same
 * taps as `resizeBilinear`, with weights in 16-bit fixed point instead of Pillow's 22 bits, two
 * taps of four channels per instruction, four rows at a time. 1.4 ms against 11.6 ms for the
 * JavaScript loops on a 1920×1080 → 224×224 downscale here (Node); each pass's sum differs from
 * Pillow's by under 0.02 of a level, so a value differs by 1 at most now and then (23 of 150,528
 * on the test scene).
 */

/**
 * Source rows copied into the kernel's memory at a time, each strip resized across while it is
 * still in the CPU's cache. Copying a whole 1920×1080 image in first, then reading it back,
 * took 2.66 ms for a resize to 224×224 here; strips of 32 KiB to 1 MiB all took 1.92–2.02 ms.
 */
const stripBytes = 128 * 1024;
/** Bytes the kernel may read past its input (whole loads over the last pair of taps). */
const slack = 16;

/** Packed weights of one axis: per output position `stride` bytes (see image-simd.wat). */
interface Packed {
  readonly bytes: Uint8Array;
  readonly stride: number;
  readonly bits: number;
  /** The input positions the taps cover, [first, end). */
  readonly first: number;
  readonly end: number;
}

/** Packed weights by axis and sizes: an app resizes the same camera or upload size again and again. */
const packedCache = new Map<string, Packed>();
const packedCacheSize = 8;

/**
 * An axis's weights packed for the kernel, with as many fraction bits as 16 bits allow for the
 * largest (a downscale's weights are small: more bits). The starts written are counted from
 * `offset`; `first` and `end` stay in input positions.
 */
function pack(taps: FilterWeights, offset = 0): Packed {
  const { start, count, size, weights } = taps;
  const positions = start.length;
  const largest = weights.reduce((max, w) => Math.max(max, Math.abs(w)), 0);
  let bits = 22;
  while (bits > 0 && toFixed(largest, bits) > 0x7fff) bits--;
  const stride = 16 + Math.ceil(size / 2) * 16;
  const bytes = new Uint8Array(positions * stride);
  const view = new DataView(bytes.buffer);
  for (let out = 0; out < positions; out++) {
    const at = out * stride;
    const n = count[out] as number;
    view.setInt32(at, (start[out] as number) - offset, true);
    view.setInt32(at + 4, Math.ceil(n / 2), true);
    for (let tap = 0; tap < n; tap++) {
      const w = toFixed(weights[out * size + tap] as number, bits);
      const lane = at + 16 + (tap >> 1) * 16 + (tap & 1) * 2;
      for (let i = 0; i < 4; i++) view.setInt16(lane + i * 4, w, true);
    }
  }
  return {
    bytes,
    stride,
    bits,
    first: start[0] as number,
    end: (start[positions - 1] as number) + (count[positions - 1] as number),
  };
}

function packedFor(key: string, make: () => Packed): Packed {
  let packed = packedCache.get(key);
  if (packed) packedCache.delete(key);
  else packed = make();
  packedCache.set(key, packed); // most recently used last
  if (packedCache.size > packedCacheSize) packedCache.delete(packedCache.keys().next().value as string);
  return packed;
}

/**
 * Resizes the box [x0, y0, x1, y1) of RGBA `source` to `width` × `height` as Pillow's
 * `resize(size, BILINEAR, box)`, keeping the first `keep` channels; undefined where the kernel
 * cannot run (no WebAssembly SIMD, or a source that is not RGBA): use `resizeBilinear`. RGBA
 * out (the default) is a view on the kernel's memory, valid until the next call (no copy, and no
 * fresh memory to fault in): read it, or copy it, at once.
 */
export function resizeBilinearSimd(
  source: Pixels,
  width: number,
  height: number,
  {
    box = [0, 0, source.width, source.height],
    keep = 4,
  }: { box?: readonly [number, number, number, number]; keep?: number } = {},
): Pixels | undefined {
  const wasm = source.channels === 4 ? simdKernel() : null;
  if (!wasm) return undefined;
  const [x0, y0, x1, y1] = box;
  const horizontal = packedFor(`h${source.width}:${x0}:${x1}:${width}`, () => pack(filterWeights(source.width, x0, x1, width)));
  // Starts counted from the first row the vertical pass reads: only those rows go through the
  // horizontal pass.
  const vertical = packedFor(`v${source.height}:${y0}:${y1}:${height}`, () => {
    const taps = filterWeights(source.height, y0, y1, height);
    return pack(taps, taps.start[0] as number);
  });
  const firstRow = vertical.first;
  const lastRow = vertical.end;
  const rows = lastRow - firstRow;
  const inStride = source.width * 4;
  const stride = width * 4;
  // A multiple of 4 rows where rows are short enough: the kernel takes rows four at a time.
  const fits = Math.max(1, Math.floor(stripBytes / inStride));
  const strip = fits >= 4 ? fits - (fits % 4) : fits;
  // Layout: a strip of source rows, weights, the horizontal pass's rows (+1 read past the last), the output.
  const src = 0;
  const hc = src + Math.min(strip, rows) * inStride + slack;
  const vc = hc + horizontal.bytes.byteLength;
  const temp = vc + vertical.bytes.byteLength;
  const dst = temp + (rows + 1) * stride;
  const memory = kernelBytes(wasm, dst + height * stride + slack);
  memory.set(horizontal.bytes, hc);
  memory.set(vertical.bytes, vc);
  for (let row = 0; row < rows; row += strip) {
    const count = Math.min(strip, rows - row);
    const from = (firstRow + row) * inStride;
    memory.set(source.data.subarray(from, from + count * inStride), src);
    wasm.horizontal(src, inStride, count, hc, horizontal.stride, width, temp + row * stride, horizontal.bits);
  }
  wasm.vertical(temp, stride, height, vc, vertical.stride, dst, vertical.bits);
  let data = memory.subarray(dst, dst + height * stride);
  if (keep !== 4) {
    const kept = new Uint8Array(width * height * keep);
    for (let i = 0, from = 0; i < kept.length; i += keep, from += 4) {
      for (let c = 0; c < keep; c++) kept[i + c] = data[from + c] as number;
    }
    data = kept;
  }
  releaseLargeMemory(wasm);
  return { data, width, height, channels: keep };
}
