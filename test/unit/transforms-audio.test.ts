import { describe, expect, test } from 'vitest';
import { InputError } from '../../src/errors.js';
import { frames, readPcm, resample } from '../../src/transforms/audio.js';

const tone = (hz: number, rate: number, seconds: number) =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, n) => Math.sin((2 * Math.PI * hz * n) / rate));
const rms = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);

describe('resample', () => {
  test('a 1 kHz tone at 22050 Hz becomes the same tone at 16 kHz', () => {
    const out = resample(tone(1000, 22050, 1), 22050, 16000);
    expect(out.length).toBe(16000);
    const expected = tone(1000, 16000, 1);
    // Away from the edges (where the window runs out of input), sample for sample.
    let worst = 0;
    for (let n = 200; n < 15800; n++) worst = Math.max(worst, Math.abs((out[n] as number) - (expected[n] as number)));
    expect(worst).toBeLessThan(0.01);
  });

  test('downsampling removes what the new rate cannot hold instead of aliasing it', () => {
    // 10 kHz is above 16 kHz's Nyquist (8 kHz): naive decimation would fold it to 6 kHz at full level.
    const out = resample(tone(10_000, 48_000, 1), 48_000, 16_000);
    expect(rms(out.subarray(500, 15_500))).toBeLessThan(0.02);
  });

  test('the same rate is the identity; upsampling doubles the length', () => {
    const x = tone(440, 16_000, 0.1);
    expect(resample(x, 16_000, 16_000)).toBe(x);
    expect(resample(x, 16_000, 32_000).length).toBe(x.length * 2);
  });
});

test('frames: consecutive, the last zero-padded; an empty clip is one silent frame', () => {
  const f = frames(Float32Array.from([1, 2, 3, 4, 5]), 2);
  expect(f.map((x) => Array.from(x))).toEqual([
    [1, 2],
    [3, 4],
    [5, 0],
  ]);
  expect(frames(new Float32Array(0), 3).map((x) => Array.from(x))).toEqual([[0, 0, 0]]);
});

test('readPcm takes samples at the model rate or with their own rate, and names a bad input', () => {
  const samples = new Float32Array(4);
  expect(readPcm('audio', samples, 16000)).toEqual({ samples, sampleRate: 16000 });
  expect(readPcm('audio', { samples, sampleRate: 44100 }, 16000).sampleRate).toBe(44100);
  expect(() => readPcm('audio', [0.1, 0.2], 16000)).toThrow(InputError);
  expect(() => readPcm('audio', { samples, sampleRate: 0 }, 16000)).toThrow(/must be audio/);
});

test('frames with a hop overlap; a window weighs each frame', () => {
  const x = Float32Array.from([1, 2, 3, 4, 5, 6]);
  // Size 4, hop 2: starts at 0, 2 (covers to 6).
  expect(frames(x, 4, { hop: 2 }).map((f) => Array.from(f))).toEqual([
    [1, 2, 3, 4],
    [3, 4, 5, 6],
  ]);
  // Periodic Hann of 4: 0.5 − 0.5·cos(2πn/4) = 0, 0.5, 1, 0.5.
  expect(frames(Float32Array.from([2, 2, 2, 2]), 4, { window: 'hann' }).map((f) => Array.from(f))).toEqual([[0, 1, 2, 1]]);
  // Hamming: 0.54 − 0.46·cos(2πn/4) = 0.08, 0.54, 1, 0.54.
  const hamming = Array.from(frames(Float32Array.from([1, 1, 1, 1]), 4, { window: 'hamming' })[0] as Float32Array);
  for (const [i, v] of [0.08, 0.54, 1, 0.54].entries()) expect(hamming[i]).toBeCloseTo(v, 6);
});
