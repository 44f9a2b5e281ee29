import { describe, expect, test } from 'vitest';
import { fitPixels, pixelsToTensor, toHalfBits } from '../../src/transforms/image.js';

/** 2×1 RGB: a red-ish and a blue-ish pixel. */
const pixels = { data: Uint8Array.from([255, 0, 51, 0, 102, 255]), width: 2, height: 1, channels: 3 };

describe('pixelsToTensor: channel order, scale, normalize, layout, dtype in one pass', () => {
  test('NCHW float32 after scale 1/255 and normalize', () => {
    const tensor = pixelsToTensor(pixels, 'rgb', [
      { op: 'scale', by: 1 / 255 },
      { op: 'normalize', mean: [0.5, 0.5, 0.5], std: [0.5, 0.25, 0.5] },
    ]);
    expect(tensor.dims).toEqual([1, 3, 1, 2]);
    // R plane: (1 − .5)/.5 = 1, (0 − .5)/.5 = −1; G: (0 − .5)/.25 = −2, (.4 − .5)/.25 = −.4; B: (.2 − .5)/.5 = −.6, 1.
    const expected = [1, -1, -2, -0.4, -0.6, 1];
    for (const [i, v] of expected.entries()) expect((tensor.data as Float32Array)[i]).toBeCloseTo(v, 6);
  });

  test('BGR, NHWC, uint8: bytes reordered, nothing scaled', () => {
    const tensor = pixelsToTensor(pixels, 'bgr', [
      { op: 'layout', to: 'nhwc' },
      { op: 'dtype', to: 'uint8' },
    ]);
    expect(tensor).toEqual({ type: 'uint8', data: Uint8Array.from([51, 0, 255, 255, 102, 0]), dims: [1, 1, 2, 3] });
  });

  test('float16 gives half-precision bits', () => {
    const tensor = pixelsToTensor(pixels, 'rgb', [
      { op: 'scale', by: 1 / 255 },
      { op: 'dtype', to: 'float16' },
    ]);
    expect(tensor.type).toBe('float16');
    // 1.0 = 0x3c00, 0 = 0, 0.2 ≈ 0x3266, 0.4 ≈ 0x3666.
    expect(Array.from(tensor.data as Uint16Array)).toEqual([0x3c00, 0, 0, 0x3666, 0x3266, 0x3c00]);
  });
});

test('toHalfBits rounds to nearest even and keeps signs, infinities and NaN', () => {
  expect([1, -2, 65504, 1e6, -Infinity, 2 ** -24, 2 ** -26, 0.1].map(toHalfBits)).toEqual([
    0x3c00, 0xc000, 0x7bff, 0x7c00, 0xfc00, 0x0001, 0, 0x2e66,
  ]);
  expect(toHalfBits(Number.NaN) & 0x7c00).toBe(0x7c00);
  expect(toHalfBits(Number.NaN) & 0x3ff).not.toBe(0);
});

describe('fitPixels', () => {
  const wide = { data: new Uint8Array(4 * 2 * 4).fill(200), width: 4, height: 2, channels: 4 };

  test('letterbox: fitted inside, centred, the rest padded', () => {
    // 4×2 into 4×4: scale 1 → 4×2 at rows 1–2; rows 0 and 3 are the pad colour.
    const out = fitPixels(wide, { op: 'image', width: 4, height: 4, fit: 'letterbox', pad: [1, 2, 3] });
    // An RGBA source stays RGBA where WebAssembly SIMD resized it (alpha unused): its RGB, row by row.
    expect(out.channels).toBe(4);
    const rgb = out.data.filter((_, i) => i % 4 !== 3);
    const row = (y: number) => Array.from(rgb.subarray(y * 12, (y + 1) * 12));
    expect(row(0)).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
    expect(row(1)).toEqual(new Array(12).fill(200));
    expect(row(2)).toEqual(new Array(12).fill(200));
    expect(row(3)).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
  });

  test("center-crop: the middle of the image at the box's scale", () => {
    const ramp = {
      data: Uint8Array.from([0, 10, 20, 30, 40, 50, 60, 70].flatMap((v) => [v, v, v])),
      width: 8,
      height: 1,
      channels: 3,
    };
    // 8×1 into 2×1: scale max(2/8, 1/1) = 1 → no resize, the middle two pixels (30, 40).
    expect(Array.from(fitPixels(ramp, { op: 'image', width: 2, height: 1, fit: 'center-crop' }).data)).toEqual([
      30, 30, 30, 40, 40, 40,
    ]);
  });
});
