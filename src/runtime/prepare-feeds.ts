import { InputError } from '../errors.js';
import { isTensorLike } from '../transforms/is-tensor-like.js';
import type { Inputs, Tensor } from '../types.js';

/**
 * Readies feeds to cross to the worker. By default each input's buffer is transferred, not
 * copied: when `data` spans its whole `ArrayBuffer`, that buffer is detached on the page after
 * the call (its length reads 0). A view over part of a larger buffer is copied, so the rest of
 * the caller's buffer stays usable. With `keepInputs`, every input is copied and none detached.
 * `SharedArrayBuffer` data is shared, never copied or detached.
 */
export function prepareFeeds<T extends Inputs>(
  feeds: T,
  { keepInputs = false }: { keepInputs?: boolean } = {},
): { feeds: T; transfer: ArrayBuffer[] } {
  const prepared: Record<string, Inputs[string]> = {};
  const transfer = new Set<ArrayBuffer>();
  for (const [name, tensor] of Object.entries(feeds)) {
    if (typeof ImageBitmap !== 'undefined' && tensor instanceof ImageBitmap) {
      // Posting an ImageBitmap to a worker held this page's main thread 30–80 ms for 1920×1080
      // here (its pixels are read back as it goes); a VideoFrame of it goes in under 0.5 ms, and
      // the worker reads its pixels as fast. Without WebCodecs, the bitmap itself is sent.
      const frame = videoFrameOf(tensor);
      if (frame && !keepInputs) tensor.close(); // as a transferred bitmap would be: the frame holds its pixels
      const sent = frame ?? tensor;
      if (frame || !keepInputs) transfer.add(sent as unknown as ArrayBuffer); // transferable, like a buffer
      prepared[name] = sent as unknown as Inputs[string];
      continue;
    }
    if (typeof ImageData !== 'undefined' && tensor instanceof ImageData) {
      // Sent as plain pixels: an ImageData is copied when posted (~50 ms for 1920×1080 here),
      // transfer or not, where its buffer alone moves in no time. It reads as empty afterwards.
      const { width, height, data } = tensor;
      const pixels = keepInputs ? data.slice() : data;
      transfer.add(pixels.buffer as ArrayBuffer);
      prepared[name] = { width, height, data: pixels } as unknown as Inputs[string];
      continue;
    }
    // Raw values for preprocessing (tabular rows, Blobs) are cloned as they are.
    const data = isTensorLike(tensor) ? tensor.data : undefined;
    if (!isTensorLike(tensor) || !ArrayBuffer.isView(data) || !(data.buffer instanceof ArrayBuffer)) {
      prepared[name] = tensor;
      continue;
    }
    const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
    const own = keepInputs || !whole ? data.slice() : data;
    transfer.add(own.buffer as ArrayBuffer);
    prepared[name] = { ...tensor, data: own } as Tensor;
  }
  return { feeds: prepared as T, transfer: [...transfer] };
}

/** A VideoFrame of `bitmap`, or undefined where WebCodecs is missing or refuses it. */
function videoFrameOf(bitmap: ImageBitmap): VideoFrame | undefined {
  if (typeof VideoFrame === 'undefined') return undefined;
  try {
    return new VideoFrame(bitmap, { timestamp: 0 });
  } catch {
    return undefined;
  }
}

/** Elements the page can draw but not send (`<img>`, `<canvas>`, `<video>`, OffscreenCanvas). */
function isDrawable(value: unknown): value is ImageBitmapSource {
  const kinds = ['HTMLImageElement', 'HTMLCanvasElement', 'HTMLVideoElement', 'SVGImageElement', 'OffscreenCanvas', 'VideoFrame'];
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
 * Inputs with what only the page has made sendable: elements into ImageBitmaps (transferred),
 * AudioBuffers into mono samples; the rest as they are. An element that cannot be drawn (an
 * `<img>` not loaded) is an `InputError`.
 */
export async function readyRawInputs<T extends Inputs>(inputs: T): Promise<T> {
  const values = typeof inputs === 'object' && inputs !== null ? Object.values(inputs) : [];
  if (!values.some((value) => isDrawable(value) || isAudioBuffer(value))) return inputs;
  const entries = await Promise.all(
    Object.entries(inputs).map(async ([name, value]) => {
      if (isAudioBuffer(value)) return [name, mixDown(value)] as const;
      if (!isDrawable(value)) return [name, value] as const;
      try {
        return [name, await createImageBitmap(value)] as const;
      } catch (error) {
        const actual = Object.prototype.toString.call(value).slice(8, -1);
        throw new InputError(
          'input-invalid',
          `Input "${name}" could not be read as an image (${actual}): ${error instanceof Error ? error.message : String(error)}`,
          {
            details: { input: name, expected: 'a loaded, drawable image', actual },
          },
        );
      }
    }),
  );
  return Object.fromEntries(entries) as unknown as T;
}
