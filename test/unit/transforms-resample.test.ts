import { describe, expect, test } from 'vitest';
import { resizeBilinear } from '../../src/transforms/resample.js';

const gray = (width: number, height: number, values: number[]) => ({ data: Uint8Array.from(values), width, height, channels: 1 });

describe('resizeBilinear (Pillow BILINEAR)', () => {
  test('4 → 2 wide: the triangle filter widens to 2 pixels each side (antialiasing)', () => {
    // Output 0 is centred on 1.0 with support 2: pixels 0, 1, 2 weigh tri(−0.25), tri(0.25),
    // tri(0.75) = 0.75, 0.75, 0.25 → 3/7, 3/7, 1/7. (0·3 + 70·3 + 140·1) / 7 = 50.
    // Output 1 is centred on 3.0: pixels 1, 2, 3 → 1/7, 3/7, 3/7: (70 + 140·3 + 210·3) / 7 = 160.
    expect(Array.from(resizeBilinear(gray(4, 1, [0, 70, 140, 210]), 2, 1).data)).toEqual([50, 160]);
  });

  test('2 → 4 wide (upscale): plain linear interpolation, edges clamped', () => {
    // Centres at 0.25, 0.75, 1.25, 1.75 of a 2-pixel row [0, 100]: weights from tri(x + 0.5 − centre).
    // 0.25: pixel 0 only (pixel 1 at distance 1.25 weighs 0) → 0; 0.75: 0.75·0 + 0.25·100 = 25;
    // 1.25: 0.25·0 + 0.75·100 = 75; 1.75: pixel 1 only → 100.
    expect(Array.from(resizeBilinear(gray(2, 1, [0, 100]), 4, 1).data)).toEqual([0, 25, 75, 100]);
  });

  test('the same size is the identity; a 2×2 → 1×1 is rounded after each pass, as Pillow does', () => {
    const image = gray(3, 2, [1, 2, 3, 4, 5, 6]);
    expect(Array.from(resizeBilinear(image, 3, 2).data)).toEqual([1, 2, 3, 4, 5, 6]);
    // Rows first: (10 + 20) / 2 = 15, (30 + 41) / 2 = 35.5 → 36; then (15 + 36) / 2 = 25.5 → 26
    // (the exact mean, 25.25, would round to 25).
    expect(Array.from(resizeBilinear(gray(2, 2, [10, 20, 30, 41]), 1, 1).data)).toEqual([26]);
  });

  test('RGBA in, RGB out: alpha is dropped, each channel resized alone', () => {
    const rgba = {
      data: Uint8Array.from([0, 10, 200, 255, 70, 20, 100, 255, 140, 30, 0, 255, 210, 40, 50, 255]),
      width: 4,
      height: 1,
      channels: 4,
    };
    const out = resizeBilinear(rgba, 2, 1, { keep: 3 });
    expect(out.channels).toBe(3);
    // Red is the 4 → 2 example above; green (10, 20, 30, 40) → (10·3 + 20·3 + 30) / 7 = 17.14 → 17,
    // (20 + 90 + 120) / 7 = 32.86 → 33; blue (200, 100, 0, 50) → 900 / 7 = 128.6 → 129, 250 / 7 = 35.7 → 36.
    expect(Array.from(out.data)).toEqual([50, 17, 129, 160, 33, 36]);
  });

  test('a box: only that part of the source is resized', () => {
    const image = gray(4, 1, [0, 70, 140, 210]);
    expect(Array.from(resizeBilinear(image, 2, 1, { box: [2, 0, 4, 1] }).data)).toEqual([140, 210]);
  });
});
