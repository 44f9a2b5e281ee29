/** Whether `value` is a WebCodecs VideoFrame (false where WebCodecs is missing). */
export const isVideoFrame = (value: unknown): value is VideoFrame =>
  typeof VideoFrame !== 'undefined' && value instanceof VideoFrame;

/** A VideoFrame of `bitmap`, or undefined where WebCodecs is missing or refuses it. */
export function videoFrameOf(bitmap: ImageBitmap): VideoFrame | undefined {
  if (typeof VideoFrame === 'undefined') return undefined;
  try {
    return new VideoFrame(bitmap, { timestamp: 0 });
  } catch {
    return undefined;
  }
}
