import { describe, expect, test } from 'vitest';
import { pixelsToTensor } from '../../src/transforms/image.js';
import { rgbaToPlanesSimd } from '../../src/transforms/planes-simd.js';
import type { Pixels } from '../../src/transforms/resample.js';
import { resizeBilinearSimd } from '../../src/transforms/resample-simd.js';
import type { PixelOp } from '../../src/transforms/schema.js';

/** Deterministic RGBA bytes covering 0..255 in every channel. */
function rgba(width: number, height: number): Pixels {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37 + (i >> 2) * 11) & 0xff;
  return { data, width, height, channels: 4 };
}

/** The planes as the JavaScript loop writes them: float64 math, rounded once to float32. */
function reference(pixels: Pixels, order: readonly number[], a: readonly number[], b: readonly number[]): Float32Array {
  const area = pixels.width * pixels.height;
  const out = new Float32Array(area * 3);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < area; i++) {
      out[c * area + i] = (pixels.data[i * 4 + (order[c] as number)] as number) * (a[c] as number) + (b[c] as number);
    }
  }
  return out;
}

const imagenet = { a: [1 / 255 / 0.229, 1 / 255 / 0.224, 1 / 255 / 0.225], b: [-0.485 / 0.229, -0.456 / 0.224, -0.406 / 0.225] };

describe('rgbaToPlanesSimd (WebAssembly SIMD) against the float64 loop', () => {
  test.each([
    ['RGB, a multiple of four pixels', 16, 8, [0, 1, 2]],
    ['BGR, with a tail of three pixels after the vectors', 7, 5, [2, 1, 0]],
    ['one pixel', 1, 1, [0, 1, 2]],
  ])('%s', (_, width, height, order) => {
    const pixels = rgba(width, height);
    const out = new Float32Array(width * height * 3);
    expect(rgbaToPlanesSimd(pixels, order, imagenet.a, imagenet.b, out)).toBe(true);
    const expected = reference(pixels, order, imagenet.a, imagenet.b);
    for (let i = 0; i < out.length; i++) expect(Math.abs((out[i] as number) - (expected[i] as number))).toBeLessThan(2e-6);
  });

  test('a resize output read in the kernel memory where it lies, also when the planes make it grow', () => {
    // 1000×1000 RGBA out (4 MB) needs 12 MB more for its planes: the memory grows under the view.
    const resized = resizeBilinearSimd(rgba(1200, 1100), 1000, 1000) as Pixels;
    const copy = { ...resized, data: resized.data.slice() };
    const out = new Float32Array(1000 * 1000 * 3);
    expect(rgbaToPlanesSimd(resized, [0, 1, 2], [1, 2, 3], [0.5, 0, -1], out)).toBe(true);
    const expected = reference(copy, [0, 1, 2], [1, 2, 3], [0.5, 0, -1]);
    let differ = 0; // small integers × small integers: exact either way
    for (let i = 0; i < out.length; i++) differ += out[i] === expected[i] ? 0 : 1;
    expect(differ).toBe(0);
  });

  test('pixels that are not RGBA are left to the loop', () => {
    const rgb = { data: new Uint8Array(12), width: 2, height: 2, channels: 3 };
    expect(rgbaToPlanesSimd(rgb, [0, 1, 2], [1, 1, 1], [0, 0, 0], new Float32Array(12))).toBe(false);
  });

  test('pixelsToTensor takes it for NCHW float32 from RGBA, and the loop for NHWC: the same values', () => {
    const pixels = rgba(9, 3);
    const ops: PixelOp[] = [
      { op: 'scale', by: 1 / 255 },
      { op: 'normalize', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    ];
    const nchw = pixelsToTensor(pixels, 'bgr', ops).data as Float32Array;
    const nhwc = pixelsToTensor(pixels, 'bgr', [...ops, { op: 'layout', to: 'nhwc' }]).data as Float32Array;
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < 27; i++)
        expect(Math.abs((nchw[c * 27 + i] as number) - (nhwc[i * 3 + c] as number))).toBeLessThan(2e-6);
    }
  });
});
