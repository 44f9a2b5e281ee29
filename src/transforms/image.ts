import { InputError } from '../errors.js';
import type { ScratchBuffers } from '../session/scratch-buffers.js';
import type { Tensor } from '../types.js';
import { rgbaToPlanesSimd } from './planes-simd.js';
import { type Pixels, resizeBilinear } from './resample.js';
import { resizeBilinearSimd } from './resample-simd.js';
import type { ImageOp, PixelOp } from './schema.js';
import { isVideoFrame, videoFrameOf } from './video-frame.js';

/** RGBA pixels as the page sends an ImageData's: `{ width, height, data }`, `data` 4 bytes a pixel. */
interface RgbaPixels {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/** What the image reader takes in the worker (the page made elements and bitmaps into VideoFrames). */
type ImageSource = VideoFrame | ImageBitmap | ImageData | Blob | RgbaPixels;

function isRgba(value: unknown): value is RgbaPixels {
  const { width, height, data } = (value ?? {}) as Partial<RgbaPixels>;
  return (
    Number.isSafeInteger(width) &&
    Number.isSafeInteger(height) &&
    data instanceof Uint8ClampedArray &&
    data.length === (width as number) * (height as number) * 4
  );
}

const tagOf = (value: unknown) => Object.prototype.toString.call(value).slice(8, -1);

/** RGBA pixels of a VideoFrame, ImageBitmap, ImageData or encoded image (Blob), read in the worker. */
export async function readPixels(input: string, value: unknown): Promise<Pixels> {
  const refuse = (actual: string, why = '') =>
    new InputError(
      'input-invalid',
      `Input "${input}" must be an image (ImageBitmap, ImageData, Blob, <img>, <canvas>), got ${actual}${why}`,
      {
        details: { input, expected: 'ImageBitmap | ImageData | Blob | HTMLImageElement | HTMLCanvasElement', actual },
      },
    );
  const source = value as ImageSource;
  if ((typeof ImageData !== 'undefined' && source instanceof ImageData) || isRgba(source)) {
    if (source.width === 0 || source.height === 0) throw refuse('an empty image (0 pixels)');
    return { data: source.data, width: source.width, height: source.height, channels: 4 };
  }
  let image: VideoFrame | ImageBitmap;
  if (isVideoFrame(source)) {
    image = source;
  } else if (typeof Blob !== 'undefined' && source instanceof Blob) {
    if (source.size === 0) throw refuse('an empty Blob');
    image = await createImageBitmap(source).catch((error: unknown) => {
      throw refuse(
        `a Blob of type "${source.type || 'unknown'}"`,
        ` that does not decode (${error instanceof Error ? error.message : String(error)})`,
      );
    });
  } else if (typeof ImageBitmap !== 'undefined' && source instanceof ImageBitmap) {
    image = source;
  } else {
    throw refuse(tagOf(value));
  }
  try {
    const { width, height } = isVideoFrame(image) ? (image.visibleRect ?? { width: 0, height: 0 }) : image;
    if (width === 0 || height === 0) throw refuse('an empty image (0 pixels)');
    const read = isVideoFrame(image) ? framePixels(image, width, height) : videoFramePixels(image);
    const data = (await read) ?? canvasPixels(image, width, height);
    if (!data) throw refuse(tagOf(value), ' (no 2D canvas in this worker)');
    return { data, width, height, channels: 4 };
  } finally {
    image.close();
  }
}

/**
 * An ImageBitmap's RGBA bytes through WebCodecs' `VideoFrame.copyTo`: the same bytes as a canvas
 * read-back, in about half the time here (27–43 ms against 52 ms for 1920×1080). Undefined where
 * WebCodecs or its RGBA conversion is missing.
 */
async function videoFramePixels(bitmap: ImageBitmap): Promise<Uint8Array | undefined> {
  const frame = videoFrameOf(bitmap);
  if (!frame) return undefined;
  try {
    return await framePixels(frame, bitmap.width, bitmap.height); // never rejects
  } finally {
    frame.close();
  }
}

/** A frame's `width` × `height` visible pixels as RGBA, or undefined where it cannot convert them. */
async function framePixels(frame: VideoFrame, width: number, height: number): Promise<Uint8Array | undefined> {
  try {
    const data = new Uint8Array(width * height * 4);
    await frame.copyTo(data, { format: 'RGBA' } as VideoFrameCopyToOptions);
    return data;
  } catch {
    return undefined;
  }
}

function canvasPixels(source: CanvasImageSource, width: number, height: number): Uint8ClampedArray | undefined {
  const context = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  if (!context) return undefined;
  // At `width` × `height`: a VideoFrame's visible pixels, not scaled to its display size.
  context.drawImage(source, 0, 0, width, height);
  return context.getImageData(0, 0, width, height).data;
}

/**
 * The box of `source` resized to `width` × `height`: RGBA with WebAssembly SIMD where it runs
 * (RGBA sources; no pass to drop alpha), else RGB in JavaScript. The same taps either way.
 */
const resize = (source: Pixels, width: number, height: number, box?: readonly [number, number, number, number]) =>
  resizeBilinearSimd(source, width, height, box && { box }) ??
  resizeBilinear(source, width, height, { keep: 3, ...(box && { box }) });

/**
 * RGB pixels (or RGBA, alpha unused) of `op.width` × `op.height`, fitted as `op.fit` says,
 * resized as Pillow's BILINEAR.
 */
export function fitPixels(source: Pixels, op: ImageOp): Pixels {
  const { width, height } = op;
  const fit = op.fit ?? 'stretch';
  if (fit === 'stretch') return resize(source, width, height);
  if (fit === 'center-crop') {
    // The crop of the resized image, computed from the source box it covers: the same weights.
    const scale = Math.max(width / source.width, height / source.height);
    const resized = [Math.round(source.width * scale), Math.round(source.height * scale)] as const;
    const left = (resized[0] - width) >> 1;
    const top = (resized[1] - height) >> 1;
    const sx = source.width / resized[0];
    const sy = source.height / resized[1];
    return resize(source, width, height, [left * sx, top * sy, (left + width) * sx, (top + height) * sy]);
  }
  const scale = Math.min(width / source.width, height / source.height);
  const inner = resize(source, Math.round(source.width * scale), Math.round(source.height * scale));
  const { channels } = inner;
  const pad = [...(op.pad ?? [0, 0, 0]), 255];
  const data = new Uint8Array(width * height * channels);
  for (let i = 0; i < data.length; i += channels) {
    for (let c = 0; c < channels; c++) data[i + c] = pad[c] as number;
  }
  const left = (width - inner.width) >> 1;
  const top = (height - inner.height) >> 1;
  const row = inner.width * channels;
  for (let y = 0; y < inner.height; y++) {
    data.set(inner.data.subarray(y * row, (y + 1) * row), ((top + y) * width + left) * channels);
  }
  return { data, width, height, channels };
}

/**
 * RGB (or RGBA) pixels → the model's tensor in one pass: channel order, then value × scale, (value − mean) ÷
 * std per channel (one affine map per channel), laid out NCHW or NHWC, as float32, float16 or uint8.
 */
export function pixelsToTensor(
  pixels: Pixels,
  channels: 'rgb' | 'bgr',
  ops: readonly PixelOp[],
  scratch?: ScratchBuffers,
): Tensor {
  let scale = 1;
  let mean = [0, 0, 0];
  let std = [1, 1, 1];
  let layout: 'nchw' | 'nhwc' = 'nchw';
  let type: 'float32' | 'float16' | 'uint8' = 'float32';
  for (const op of ops) {
    if (op.op === 'scale') scale = op.by;
    else if (op.op === 'normalize') [mean, std] = [op.mean, op.std];
    else if (op.op === 'layout') layout = op.to;
    else type = op.to;
  }
  const { width, height, data, channels: stride } = pixels;
  const area = width * height;
  const a = std.map((s) => scale / s);
  const b = mean.map((m, c) => -m / (std[c] as number));
  const order = channels === 'bgr' ? [2, 1, 0] : [0, 1, 2];
  // A float32 tensor in memory used again from run to run, where the caller gives it back after.
  const values =
    scratch && type === 'float32' ? (scratch.take(new Float32Array(0), area * 3) as Float32Array) : new Float32Array(area * 3);
  // NCHW from RGBA (a resize's output) in WebAssembly SIMD where it runs; else this loop.
  const done = layout === 'nchw' && rgbaToPlanesSimd(pixels, order, a, b, values);
  for (let c = 0; c < 3 && !done; c++) {
    const from = order[c] as number;
    const ac = a[c] as number;
    const bc = b[c] as number;
    if (layout === 'nchw') {
      const plane = c * area;
      for (let i = 0, at = from; i < area; i++, at += stride) values[plane + i] = (data[at] as number) * ac + bc;
    } else {
      for (let i = 0, at = from; i < area; i++, at += stride) values[i * 3 + c] = (data[at] as number) * ac + bc;
    }
  }
  const dims = layout === 'nchw' ? [1, 3, height, width] : [1, height, width, 3];
  if (type === 'float32') return { type, data: values, dims };
  if (type === 'uint8') return { type, data: Uint8Array.from(values, (v) => Math.min(255, Math.max(0, Math.round(v)))), dims };
  return { type, data: Uint16Array.from(values, toHalfBits), dims };
}

const halfView = new DataView(new ArrayBuffer(4));

/** IEEE 754 half-precision bits of `value`, rounded to nearest even. */
export function toHalfBits(value: number): number {
  halfView.setFloat32(0, value);
  const bits = halfView.getUint32(0);
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  let mantissa = bits & 0x7fffff;
  if (exponent >= 0x1f) return sign | (((bits >>> 23) & 0xff) === 0xff && mantissa ? 0x7e00 : 0x7c00);
  if (exponent <= 0) {
    if (exponent < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - exponent;
    const rounded = mantissa >> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    return sign | (rounded + (rest > midpoint || (rest === midpoint && rounded & 1) ? 1 : 0));
  }
  const rounded = (exponent << 10) | (mantissa >> 13);
  const rest = mantissa & 0x1fff;
  return sign | (rounded + (rest > 0x1000 || (rest === 0x1000 && rounded & 1) ? 1 : 0));
}
