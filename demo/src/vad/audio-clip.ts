/** A clip the VAD panel can play and run: its decoded samples, a URL for the `<audio>` element, and its name. */
export interface AudioClip {
  readonly buffer: AudioBuffer;
  readonly url: string;
  readonly name: string;
}

/**
 * The rate clips are decoded at: `decodeAudioData` resamples to its context's rate, so the clip
 * reaches the model at 48 kHz whatever its file says, and the model's `audio` transform
 * resamples it to 16 kHz in the worker.
 */
const decodeRate = 48_000;

/** Decodes an audio file or recording (WAV, MP3, Ogg, WebM: what the browser decodes). */
export async function decodeClip(blob: Blob, name: string): Promise<AudioClip> {
  // An OfflineAudioContext decodes without a user gesture and plays nothing.
  const context = new OfflineAudioContext(1, 1, decodeRate);
  const buffer = await context.decodeAudioData(await blob.arrayBuffer());
  return { buffer, url: URL.createObjectURL(blob), name };
}

/** The sample clip shipped with the demo (public/samples, precached by the service worker). */
export async function sampleClip(): Promise<AudioClip> {
  const url = new URL('samples/speech-and-silence.wav', document.baseURI);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
  return decodeClip(await response.blob(), 'speech-and-silence.wav — silence, a spoken sentence, silence');
}

/** Frees the `<audio>` URL of a clip that is replaced. */
export function releaseClip(clip: AudioClip | undefined): void {
  if (clip) URL.revokeObjectURL(clip.url);
}
