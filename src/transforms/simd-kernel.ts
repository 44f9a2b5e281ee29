import { wasmBase64 } from './image-simd.wasm.js';

/** The image kernels of image-simd.wat, on the instance's own memory (offsets in bytes). */
export interface SimdKernel {
  readonly memory: WebAssembly.Memory;
  horizontal(
    src: number,
    srcStride: number,
    rows: number,
    coeffs: number,
    coeffStride: number,
    outWidth: number,
    dst: number,
    bits: number,
  ): void;
  vertical(temp: number, stride: number, height: number, coeffs: number, coeffStride: number, dst: number, bits: number): void;
  planes(
    src: number,
    count: number,
    dst0: number,
    dst1: number,
    dst2: number,
    a0: number,
    a1: number,
    a2: number,
    b0: number,
    b1: number,
    b2: number,
  ): void;
}

/** Linear memory kept between calls up to this; past it the instance is dropped after use. */
const keptMemoryBytes = 64 * 2 ** 20;

/** undefined: not tried yet; null: no WebAssembly SIMD here (or a CSP without 'wasm-unsafe-eval'). */
let kernel: SimdKernel | null | undefined;

/** The kernels, instantiated on first use; null where WebAssembly SIMD cannot run. */
export function simdKernel(): SimdKernel | null {
  if (kernel !== undefined) return kernel;
  try {
    const bytes = Uint8Array.from(atob(wasmBase64), (char) => char.charCodeAt(0));
    kernel = WebAssembly.validate(bytes)
      ? (new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as SimdKernel)
      : null;
  } catch {
    kernel = null;
  }
  return kernel;
}

/**
 * The kernel's memory as bytes, grown to at least `bytes` first. Growing detaches views made
 * before: take offsets (`byteOffset`), not views, across a call to this.
 */
export function kernelBytes(wasm: SimdKernel, bytes: number): Uint8Array {
  const grow = Math.ceil((bytes - wasm.memory.buffer.byteLength) / 65_536);
  if (grow > 0) wasm.memory.grow(grow);
  return new Uint8Array(wasm.memory.buffer);
}

/**
 * After a call: a memory grown past `keptMemoryBytes` (a huge image) goes with its instance, and
 * the next call starts small again. Views on it stay readable until dropped.
 */
export function releaseLargeMemory(wasm: SimdKernel): void {
  if (wasm === kernel && wasm.memory.buffer.byteLength > keptMemoryBytes) kernel = undefined;
}
