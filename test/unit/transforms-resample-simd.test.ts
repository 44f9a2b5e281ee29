import { describe, expect, test } from 'vitest';
import { type Pixels, resizeBilinear } from '../../src/transforms/resample.js';
import { resizeBilinearSimd } from '../../src/transforms/resample-simd.js';

/** Deterministic RGBA noise with some smooth structure, so rounding lands everywhere. */
function rgba(width: number, height: number, seed = 1): Pixels {
  const data = new Uint8Array(width * height * 4);
  let state = seed;
  for (let i = 0; i < data.length; i++) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    data[i] = (((i % (width * 4)) * 7 + (state >>> 24)) >>> 1) & 0xff;
  }
  return { data, width, height, channels: 4 };
}

/** Largest difference between two resizes, and how many values differ. */
function compare(a: Pixels, b: Pixels): { worst: number; differ: number } {
  let worst = 0;
  let differ = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs((a.data[i] as number) - (b.data[i] as number));
    worst = Math.max(worst, d);
    differ += d > 0 ? 1 : 0;
  }
  return { worst, differ };
}

describe('resizeBilinearSimd (WebAssembly SIMD) against the exact JavaScript kernel', () => {
  test.each([
    ['a strong downscale', 640, 360, 224, 224],
    ['a downscale to an odd width (rows not a multiple of 8 bytes)', 101, 77, 33, 19],
    ['an upscale', 5, 4, 13, 9],
    ['the same size', 16, 8, 16, 8],
    ['one pixel', 7, 3, 1, 1],
    // 16 KB rows: 7 to a 128 KiB strip, so 30 rows are five strips, the last of 2.
    ['a wide image, read a strip of rows at a time', 4099, 30, 50, 7],
  ])('%s: %i×%i → %i×%i within 1 level', (_, width, height, outWidth, outHeight) => {
    const source = rgba(width, height);
    const simd = resizeBilinearSimd(source, outWidth, outHeight, { keep: 3 });
    const exact = resizeBilinear(source, outWidth, outHeight, { keep: 3 });
    expect(simd).toMatchObject({ width: outWidth, height: outHeight, channels: 3 });
    const { worst, differ } = compare(simd as Pixels, exact);
    expect(worst).toBeLessThanOrEqual(1);
    expect(differ).toBeLessThanOrEqual(Math.ceil(exact.data.length * 0.01));
  });

  test('a box, all four channels, and a second resize of other sizes in the same memory', () => {
    const source = rgba(300, 200, 7);
    const box = [40.5, 10, 260, 190.25] as const;
    // RGBA out is a view on the kernel's memory, overwritten by the next resize: copied here.
    const view = resizeBilinearSimd(source, 64, 48, { box, keep: 4 }) as Pixels;
    const simd = { ...view, data: view.data.slice() };
    expect(compare(simd, resizeBilinear(source, 64, 48, { box, keep: 4 })).worst).toBeLessThanOrEqual(1);
    const small = rgba(9, 9, 3);
    expect(compare(resizeBilinearSimd(small, 4, 4) as Pixels, resizeBilinear(small, 4, 4)).worst).toBeLessThanOrEqual(1);
    // The first sizes again: weights from the cache, the same result.
    expect(resizeBilinearSimd(source, 64, 48, { box, keep: 4 })?.data).toEqual(simd.data);
  });

  test('a box of a wide image whose rows start and end inside strips', () => {
    const source = rgba(4099, 40, 5);
    const box = [100.5, 9.5, 4000, 33.75] as const;
    const simd = resizeBilinearSimd(source, 37, 5, { box, keep: 3 }) as Pixels;
    expect(compare(simd, resizeBilinear(source, 37, 5, { box, keep: 3 })).worst).toBeLessThanOrEqual(1);
  });

  test('a flat image stays flat, and a 2×2 → 1×1 is rounded after each pass, as Pillow does', () => {
    const flat = { data: new Uint8Array(32 * 32 * 4).fill(200), width: 32, height: 32, channels: 4 };
    expect(new Set(resizeBilinearSimd(flat, 5, 7)?.data)).toEqual(new Set([200]));
    const corners = {
      data: Uint8Array.from([10, 0, 0, 0, 20, 0, 0, 0, 30, 0, 0, 0, 41, 0, 0, 0]),
      width: 2,
      height: 2,
      channels: 4,
    };
    expect(resizeBilinearSimd(corners, 1, 1, { keep: 1 })?.data).toEqual(Uint8Array.from([26]));
  });

  test('a source that is not RGBA is left to the JavaScript kernel', () => {
    expect(resizeBilinearSimd({ data: new Uint8Array(12), width: 2, height: 2, channels: 3 }, 1, 1)).toBeUndefined();
  });
});
