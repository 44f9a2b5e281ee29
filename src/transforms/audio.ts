import { InputError } from '../errors.js';

/** Mono PCM at a sample rate, as the page sends it. */
export interface Pcm {
  readonly samples: Float32Array;
  readonly sampleRate: number;
}

/** Zero crossings of the windowed sinc on each side: enough for a stopband far below 16-bit noise. */
const zeroCrossings = 16;

const describe = (value: unknown) => Object.prototype.toString.call(value).slice(8, -1);

/**
 * Reads an audio input in the worker: a Float32Array (already at the model's rate) or
 * `{ samples, sampleRate }` (the page turns an AudioBuffer into this, channels averaged).
 */
export function readPcm(input: string, value: unknown, modelRate: number): Pcm {
  if (value instanceof Float32Array) return { samples: value, sampleRate: modelRate };
  const { samples, sampleRate } = (value ?? {}) as Partial<Pcm>;
  if (samples instanceof Float32Array && Number.isFinite(sampleRate) && (sampleRate as number) > 0) {
    return { samples, sampleRate: sampleRate as number };
  }
  throw new InputError(
    'input-invalid',
    `Input "${input}" must be audio: a Float32Array of samples at ${modelRate} Hz, { samples, sampleRate } or an AudioBuffer, got ${describe(value)}`,
    {
      details: { input, expected: 'Float32Array | { samples: Float32Array, sampleRate } | AudioBuffer', actual: describe(value) },
    },
  );
}

/** An audio input read and resampled to the model's rate. */
export function readAudio(input: string, value: unknown, modelRate: number): Float32Array {
  const { samples, sampleRate } = readPcm(input, value, modelRate);
  return resample(samples, sampleRate, modelRate);
}

/**
 * Band-limited resampling (a Hann-windowed sinc, its cutoff at the lower Nyquist frequency, so a
 * downsample does not alias): what a model trained at `to` Hz expects from audio recorded at another rate.
 */
export function resample(samples: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return samples;
  const ratio = to / from;
  const cutoff = Math.min(1, ratio); // of the input's Nyquist frequency
  const half = zeroCrossings / cutoff; // half the window, in input samples
  const out = new Float32Array(Math.round(samples.length * ratio));
  for (let n = 0; n < out.length; n++) {
    const t = n / ratio; // the output sample's time, in input samples
    const first = Math.max(0, Math.ceil(t - half));
    const last = Math.min(samples.length - 1, Math.floor(t + half));
    let sum = 0;
    for (let k = first; k <= last; k++) {
      const x = (k - t) * cutoff;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const window = 0.5 + 0.5 * Math.cos((Math.PI * (k - t)) / half);
      sum += (samples[k] as number) * sinc * window * cutoff;
    }
    out[n] = sum;
  }
  return out;
}

/**
 * Frames of `size` samples starting every `hop` samples (default `size`: back to back) until
 * the clip is covered, the last padded with zeros, each multiplied by `window` (periodic Hann or
 * Hamming, as spectrogram front ends use them).
 */
export function frames(
  samples: Float32Array,
  size: number,
  { hop = size, window = 'none' }: { hop?: number; window?: 'none' | 'hann' | 'hamming' } = {},
): Float32Array[] {
  const count = Math.max(1, Math.ceil(Math.max(0, samples.length - size) / hop) + 1);
  const weights =
    window === 'none'
      ? undefined
      : Float32Array.from({ length: size }, (_, n) => {
          const a = window === 'hann' ? 0.5 : 0.54;
          return a - (1 - a) * Math.cos((2 * Math.PI * n) / size);
        });
  return Array.from({ length: count }, (_, i) => {
    const frame = new Float32Array(size);
    frame.set(samples.subarray(i * hop, i * hop + size));
    if (weights) for (let n = 0; n < size; n++) frame[n] = (frame[n] as number) * (weights[n] as number);
    return frame;
  });
}
