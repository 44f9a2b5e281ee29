/** Why the microphone cannot be used here, or undefined when it can. */
export function microphoneUnavailable(): string | undefined {
  if (!window.isSecureContext) return 'the microphone needs HTTPS (or localhost)';
  if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === 'undefined') return 'this browser cannot record audio';
  return undefined;
}

/** A recording in progress: `stop()` ends it, `done` resolves to the recorded audio. */
export interface Recording {
  stop(): void;
  readonly done: Promise<Blob>;
}

/** Records the microphone until `stop()`, or for `maxMs` at most. */
export async function startRecording(maxMs: number): Promise<Recording> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true } });
  const recorder = new MediaRecorder(stream);
  const chunks: Blob[] = [];
  recorder.addEventListener('dataavailable', (event) => chunks.push(event.data));
  const done = new Promise<Blob>((resolve, reject) => {
    recorder.addEventListener('stop', () => {
      for (const track of stream.getTracks()) track.stop();
      resolve(new Blob(chunks, { type: recorder.mimeType }));
    });
    recorder.addEventListener('error', (event) => reject((event as ErrorEvent).error ?? new Error('recording failed')));
  });
  const stop = () => {
    if (recorder.state !== 'inactive') recorder.stop();
  };
  const timer = setTimeout(stop, maxMs);
  void done.finally(() => clearTimeout(timer));
  recorder.start();
  return { stop, done };
}
