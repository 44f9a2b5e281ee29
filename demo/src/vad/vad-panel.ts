import type { Model } from 'webinfer';
import { byId } from '../lib/dom.js';
import { formatError, formatMs } from '../lib/format.js';
import type { Panel } from '../panel.js';
import type { Playground } from '../playground.js';
import { type AudioClip, decodeClip, releaseClip, sampleClip } from './audio-clip.js';
import { microphoneUnavailable, type Recording, startRecording } from './recorder.js';
import { speechSegments } from './speech-segments.js';
import { Timeline } from './vad-timeline.js';

const maxRecordingMs = 15_000;

/**
 * Voice activity: a clip (the sample, an upload or a recording) run through Silero VAD, whose
 * manifest resamples and frames it in the worker; the timeline shows the speech probability of
 * each 32 ms frame and the speech segments found.
 */
export function mountVadPanel(playground: Playground): Panel {
  const player = byId<HTMLAudioElement>('audio-player');
  const label = byId('audio-label');
  const result = byId('vad-result');
  const fileInput = byId<HTMLInputElement>('audio-file');
  const recordButton = byId<HTMLButtonElement>('record-button');
  const timeline = new Timeline(byId<HTMLCanvasElement>('vad-timeline'));
  let clip: AudioClip | undefined;
  let recording: Recording | undefined;

  const use = (next: AudioClip) => {
    releaseClip(clip);
    clip = next;
    player.src = next.url;
    label.textContent = `${next.name} · ${next.buffer.duration.toFixed(1)} s`;
    timeline.show({ samples: next.buffer.getChannelData(0), seconds: next.buffer.duration });
    result.replaceChildren();
    delete result.dataset.segments;
  };
  const fail = (error: unknown) => {
    label.textContent = formatError(error);
  };
  const useSample = async () => {
    const sample = await sampleClip();
    use(sample);
    return sample;
  };
  const loadSample = () => useSample().catch(fail);

  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="audio-source"]')) {
    radio.addEventListener('change', () => {
      recordButton.hidden = radio.value !== 'mic';
      if (radio.value === 'sample') void loadSample();
      if (radio.value === 'file') fileInput.click();
    });
  }
  const micRadio = document.querySelector<HTMLInputElement>('input[name="audio-source"][value="mic"]');
  const unavailable = microphoneUnavailable();
  if (micRadio && unavailable) {
    micRadio.disabled = true;
    micRadio.parentElement?.setAttribute('title', unavailable);
  }
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) decodeClip(file, file.name).then(use, fail);
  });
  recordButton.addEventListener('click', async () => {
    if (recording) {
      recording.stop();
      return;
    }
    try {
      recording = await startRecording(maxRecordingMs);
      recordButton.textContent = '■ Stop';
      label.textContent = `Recording… (at most ${maxRecordingMs / 1000} s)`;
      use(await decodeClip(await recording.done, `Recording at ${new Date().toLocaleTimeString()}`));
    } catch (error) {
      fail(error);
    } finally {
      recording = undefined;
      recordButton.textContent = '● Record';
    }
  });
  void loadSample();

  return {
    async run(key: string, model: Model): Promise<string> {
      const current = clip ?? (await useSample());
      const frameSeconds = playground.entries.get(key)?.spec.frameSeconds;
      if (!frameSeconds) throw new Error(`${key}: demo/models.json gives it no audio frame`);
      // Each clip is a new stream: the LSTM state starts from zeros.
      await model.resetState();
      const { outputs, timings } = await playground.run(key, { input: current.buffer });
      const output = Object.values(outputs)[0];
      if (output?.type !== 'float32') throw new Error(`Expected speech probabilities, got ${output?.type ?? 'nothing'}`);
      const probabilities = output.data;
      const segments = speechSegments(probabilities, frameSeconds);
      const seconds = current.buffer.duration;
      timeline.show({
        samples: current.buffer.getChannelData(0),
        seconds,
        result: { probabilities, frameSeconds, segments },
      });
      const spoken = segments.reduce((sum, s) => sum + s.end - s.start, 0);
      result.dataset.segments = JSON.stringify(segments.map((s) => [round(s.start), round(s.end)]));
      result.dataset.frames = String(probabilities.length);
      result.textContent =
        segments.length === 0
          ? 'No speech found.'
          : `Speech ${segments.map((s) => `${s.start.toFixed(2)}–${s.end.toFixed(2)} s`).join(', ')}: ${spoken.toFixed(1)} s of ${seconds.toFixed(1)} s.`;
      return `${probabilities.length} frames of ${formatMs(frameSeconds * 1000)} in ${formatMs(timings.roundTripMs)}`;
    },
  };
}

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;
