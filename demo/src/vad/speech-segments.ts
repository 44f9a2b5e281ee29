/** A stretch of speech, in seconds from the start of the clip. */
export interface Segment {
  readonly start: number;
  readonly end: number;
}

/**
 * Speech probabilities (one per frame) → segments, with the hysteresis Silero VAD's own
 * `get_speech_timestamps` uses: speech starts at `threshold` and ends only once the probability
 * falls below `threshold - 0.15`; segments shorter than `minSpeech` seconds are dropped.
 * https://github.com/snakers4/silero-vad/blob/master/src/silero_vad/utils_vad.py
 */
export function speechSegments(
  probabilities: ArrayLike<number>,
  frameSeconds: number,
  { threshold = 0.5, minSpeech = 0.1 } = {},
): Segment[] {
  const segments: Segment[] = [];
  let start: number | undefined;
  const close = (frame: number) => {
    if (start !== undefined && (frame - start) * frameSeconds >= minSpeech) {
      segments.push({ start: start * frameSeconds, end: frame * frameSeconds });
    }
    start = undefined;
  };
  for (let frame = 0; frame < probabilities.length; frame++) {
    const p = probabilities[frame] as number;
    if (start === undefined && p >= threshold) start = frame;
    else if (start !== undefined && p < threshold - 0.15) close(frame);
  }
  close(probabilities.length);
  return segments;
}
