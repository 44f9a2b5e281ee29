import { InputError } from '../errors.js';
import { isVideoFrame, videoFrameOf } from '../transforms/video-frame.js';
import type { Inputs } from '../types.js';
import { prepareFeeds } from './prepare-feeds.js';

/**
 * Raw inputs (images, audio, rows) readied to cross to the worker, for a model whose manifest
 * preprocesses them. Its own chunk: a page whose models take tensors never loads it (P7).
 * Elements become ImageBitmaps, AudioBuffers mono samples; an ImageBitmap goes as a VideoFrame,
 * a VideoFrame as it is and an ImageData as its bare pixels, all transferred; tensors among them
 * as `prepareFeeds` sends them; the rest (rows, Blobs) are cloned as they are. `keepInputs` keeps
 * the caller's inputs usable; an ImageBitmap made here from an element is webinfer's own, and is
 * closed or transferred either way.
 */
export async function prepareRawFeeds<T extends Inputs>(
  given: T,
  { keepInputs = false }: { keepInputs?: boolean } = {},
): Promise<{ feeds: T; transfer: ArrayBuffer[] }> {
  const images: Record<string, Inputs[string]> = {};
  const rest: Record<string, Inputs[string]> = {};
  const transfer: unknown[] = [];
  const readied = await Promise.all(
    Object.entries(given).map(async ([name, value]) => [name, value, await sendable(name, value)] as const),
  );
  for (const [name, value, ready] of readied) {
    const image = sendableImage(ready, keepInputs && ready === value, transfer);
    if (image) images[name] = image as Inputs[string];
    else rest[name] = ready as Inputs[string];
  }
  const tensors = prepareFeeds(rest, { keepInputs });
  return {
    feeds: { ...tensors.feeds, ...images } as T,
    // Transferables, like buffers; listed once each, as `postMessage` requires.
    transfer: [...new Set([...tensors.transfer, ...transfer])] as ArrayBuffer[],
  };
}

/** An image input as it crosses, its transferables added to `transfer`; undefined for the rest. */
function sendableImage(value: unknown, keepInputs: boolean, transfer: unknown[]): unknown {
  if (typeof ImageBitmap !== 'undefined' && value instanceof ImageBitmap) {
    // Posting an ImageBitmap to a worker held this page's main thread 30–80 ms for 1920×1080
    // here (its pixels are read back as it goes); a VideoFrame of it goes in under 0.5 ms, and
    // the worker reads its pixels as fast. Without WebCodecs, the bitmap itself is sent.
    const frame = videoFrameOf(value);
    if (frame && !keepInputs) value.close(); // as a transferred bitmap would be: the frame holds its pixels
    const sent = frame ?? value;
    if (frame || !keepInputs) transfer.push(sent);
    return sent;
  }
  if (isVideoFrame(value)) {
    // As it is: a VideoFrame posted to the worker moves no pixels, where drawing one into an
    // ImageBitmap first held the page 42–47 ms for 1920×1080 here (P9'), then a read back.
    const sent = keepInputs ? value.clone() : value;
    transfer.push(sent);
    return sent;
  }
  if (typeof ImageData !== 'undefined' && value instanceof ImageData) {
    // Sent as plain pixels: an ImageData is copied when posted (~50 ms for 1920×1080 here),
    // transfer or not, where its buffer alone moves in no time. It reads as empty afterwards.
    const { width, height, data } = value;
    const pixels = keepInputs ? data.slice() : data;
    transfer.push(pixels.buffer);
    return { width, height, data: pixels };
  }
  return undefined;
}

/** Elements the page can draw but not send (`<img>`, `<canvas>`, `<video>`, OffscreenCanvas). */
function isDrawable(value: unknown): value is ImageBitmapSource {
  const kinds = ['HTMLImageElement', 'HTMLCanvasElement', 'HTMLVideoElement', 'SVGImageElement', 'OffscreenCanvas'];
  return kinds.some((kind) => {
    const type = (globalThis as Record<string, unknown>)[kind];
    return typeof type === 'function' && value instanceof (type as new () => object);
  });
}

/** An AudioBuffer's channels averaged into one, with its rate: what the worker's audio reader takes. */
function mixDown(buffer: AudioBuffer): { samples: Float32Array; sampleRate: number } {
  const samples = new Float32Array(buffer.length);
  for (let c = 0; c < buffer.numberOfChannels; c++) {
    const channel = buffer.getChannelData(c);
    for (let i = 0; i < samples.length; i++)
      samples[i] = (samples[i] as number) + (channel[i] as number) / buffer.numberOfChannels;
  }
  return { samples, sampleRate: buffer.sampleRate };
}

const isAudioBuffer = (value: unknown): value is AudioBuffer =>
  typeof AudioBuffer !== 'undefined' && value instanceof AudioBuffer;

/**
 * What only the page can make sendable of an input: an element into an ImageBitmap, an
 * AudioBuffer into mono samples; anything else as it is. An element that cannot be drawn (an
 * `<img>` not loaded) or a closed VideoFrame is an `InputError`.
 */
async function sendable(name: string, value: unknown): Promise<unknown> {
  if (isAudioBuffer(value)) return mixDown(value);
  // A closed frame is 0×0 (an open one never is); posting it would throw a DataCloneError.
  if (isVideoFrame(value) && value.codedWidth === 0) throw unreadable(name, value, 'the VideoFrame is closed');
  if (!isDrawable(value)) return value;
  try {
    return await createImageBitmap(value);
  } catch (error) {
    throw unreadable(name, value, error instanceof Error ? error.message : String(error));
  }
}

function unreadable(name: string, value: unknown, why: string): InputError {
  const actual = Object.prototype.toString.call(value).slice(8, -1);
  return new InputError('input-invalid', `Input "${name}" could not be read as an image (${actual}): ${why}`, {
    details: { input: name, expected: 'a loaded, drawable image', actual },
  });
}
