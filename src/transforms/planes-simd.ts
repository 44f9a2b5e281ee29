import type { Pixels } from './resample.js';
import { kernelBytes, releaseLargeMemory, simdKernel } from './simd-kernel.js';

/**
 * RGBA `pixels` → three float32 planes in `out` (NCHW, alpha dropped), with WebAssembly SIMD:
 * plane c holds channel `order[c]` × `a[c]` + `b[c]`. False where it cannot run (no WebAssembly
 * SIMD, or pixels that are not RGBA): the caller's loop does it then. Computed in float32, where
 * the loop rounds a float64 result once: a value may differ from the loop's in its last bit.
 * 0.2–0.4 ms → ~0.05 ms for 224×224 in the worker here. Pixels already in the kernel's memory
 * (a resize's output) are read where they are.
 */
export function rgbaToPlanesSimd(
  pixels: Pixels,
  order: readonly number[],
  a: readonly number[],
  b: readonly number[],
  out: Float32Array,
): boolean {
  const wasm = pixels.channels === 4 ? simdKernel() : null;
  if (!wasm) return false;
  const count = pixels.width * pixels.height;
  const inKernel = pixels.data.buffer === wasm.memory.buffer;
  const src = inKernel ? pixels.data.byteOffset : 0;
  const dst = Math.ceil((src + count * 4) / 16) * 16;
  const memory = kernelBytes(wasm, dst + count * 12); // pixels.data is detached if it grew
  if (!inKernel) memory.set(pixels.data.subarray(0, count * 4), src);
  /** For source channel k: its plane, and that plane's a and b. */
  const plane = [0, 1, 2].map((k) => order.indexOf(k));
  const [p0, p1, p2] = plane as [number, number, number];
  wasm.planes(
    src,
    count,
    dst + p0 * count * 4,
    dst + p1 * count * 4,
    dst + p2 * count * 4,
    a[p0] as number,
    a[p1] as number,
    a[p2] as number,
    b[p0] as number,
    b[p1] as number,
    b[p2] as number,
  );
  out.set(new Float32Array(memory.buffer, dst, count * 3));
  releaseLargeMemory(wasm);
  return true;
}
