import { afterAll, beforeAll, expect, test } from 'vitest';
import { createRuntime, InputError, type Model } from '../../src/index.js';
import { resample } from '../../src/transforms/audio.js';
import clipUrl from '../fixtures/audio/speech-and-silence.wav?url';
import { describeFile, manifestDataUrl } from '../support/browser/manifests.js';
import { models } from '../support/browser/models.js';
import { floatsOf } from '../support/browser/tensors.js';

/**
 * Silero VAD v5 on a WAV file through the manifest's transforms: a 22050 Hz clip (1 s of
 * silence, espeak-ng saying a sentence until 3.22 s, 1.5 s of silence; scripts/make-audio-fixture.py)
 * resampled to 16 kHz, cut into 512-sample frames, run frame by frame with the LSTM state
 * carried by the runtime and `sr` fed by it: one speech probability per frame.
 */
const rt = createRuntime({ backends: ['wasm'] });
afterAll(() => rt.close());

const frame = 512;
const frameSeconds = frame / 16000;
let clip: { samples: Float32Array; sampleRate: number };
let vad: Model;

/** 16-bit mono PCM WAV → samples in [-1, 1). */
function parseWav(bytes: ArrayBuffer) {
  const view = new DataView(bytes);
  const sampleRate = view.getUint32(24, true);
  let offset = 12;
  while (offset < view.byteLength && String.fromCharCode(...new Uint8Array(bytes, offset, 4)) !== 'data')
    offset += 8 + view.getUint32(offset + 4, true);
  const length = view.getUint32(offset + 4, true) / 2;
  const samples = Float32Array.from({ length }, (_, i) => view.getInt16(offset + 8 + i * 2, true) / 32768);
  return { samples, sampleRate };
}

async function vadManifest() {
  const file = await describeFile(models.vad);
  return {
    format: 'webinfer/manifest@1',
    id: 'silero-vad',
    version: '5',
    files: [{ url: new URL(models.vad, location.href).href, role: 'model', ...file }],
    inputs: [
      { name: 'input', type: 'float32', dims: [-1, -1] },
      { name: 'state', type: 'float32', dims: [2, -1, 128] },
      { name: 'sr', type: 'int64', dims: [] },
    ],
    outputs: [
      { name: 'output', type: 'float32', dims: [-1, 1] },
      { name: 'stateN', type: 'float32', dims: [-1, -1, -1] },
    ],
    transforms: {
      inputs: {
        input: [{ op: 'audio', sampleRate: 16000, frame }],
        sr: [{ op: 'constant', type: 'int64', value: [16000], dims: [] }],
      },
      state: [{ input: 'state', output: 'stateN' }],
    },
  };
}

beforeAll(async () => {
  clip = parseWav(await (await fetch(clipUrl)).arrayBuffer());
  vad = await rt.load(manifestDataUrl(await vadManifest()));
});

test('speech probabilities per frame: high while the sentence is spoken, low in the silence around it', async () => {
  expect(clip.sampleRate).toBe(22050);
  const { outputs, timings } = await vad.runDetailed({ input: { samples: clip.samples.slice(), sampleRate: clip.sampleRate } });
  const probabilities = floatsOf(outputs.output);
  const frames = Math.ceil((clip.samples.length * 16000) / 22050 / frame);
  expect(outputs.output?.dims).toEqual([frames, 1, 1]);
  expect(outputs).not.toHaveProperty('stateN'); // kept by the runtime
  const at = (from: number, to: number) =>
    Array.from(probabilities.subarray(Math.floor(from / frameSeconds), Math.floor(to / frameSeconds)));
  const silentBefore = at(0, 0.9);
  const speech = at(1.2, 3.0);
  const silentAfter = at(3.6, 4.6);
  console.info(
    `VAD: max before ${Math.max(...silentBefore).toFixed(3)}, speech median ${speech.sort()[speech.length >> 1]?.toFixed(3)}, max after ${Math.max(...silentAfter).toFixed(3)}`,
  );
  expect(Math.max(...silentBefore)).toBeLessThan(0.1);
  expect(Math.max(...silentAfter)).toBeLessThan(0.1);
  expect(speech.filter((p) => p > 0.5).length / speech.length).toBeGreaterThan(0.7);
  expect(timings.preprocessMs).toBeGreaterThan(0);
});

test('framing and the carried state equal a loop over the frames with the state passed by hand', async () => {
  await vad.resetState();
  const at16k = resample(clip.samples, clip.sampleRate, 16000).subarray(0, 40 * frame);
  const framed = floatsOf((await vad.run({ input: at16k.slice() })).output);
  const bare = await rt.load(models.vad);
  let state = new Float32Array(2 * 128);
  const byHand: number[] = [];
  for (let i = 0; i < 40; i++) {
    const out = await bare.run({
      input: { type: 'float32', data: at16k.slice(i * frame, (i + 1) * frame), dims: [1, frame] },
      state: { type: 'float32', data: state, dims: [2, 1, 128] },
      sr: { type: 'int64', data: BigInt64Array.of(16000n), dims: [] },
    });
    byHand.push(floatsOf(out.output)[0] as number);
    state = floatsOf(out.stateN);
  }
  expect(Array.from(framed)).toEqual(byHand);
});

test('the state carries across calls until resetState: a stream in two halves equals it whole', async () => {
  const at16k = resample(clip.samples, clip.sampleRate, 16000).subarray(0, 20 * frame);
  await vad.resetState();
  const whole = floatsOf((await vad.run({ input: at16k.slice() })).output);
  await vad.resetState();
  const first = floatsOf((await vad.run({ input: at16k.slice(0, 10 * frame) })).output);
  const second = floatsOf((await vad.run({ input: at16k.slice(10 * frame) })).output);
  expect([...first, ...second]).toEqual(Array.from(whole));
});

test("an AudioBuffer decoded at the file's rate reads like its samples", async () => {
  const context = new OfflineAudioContext(1, 1, 22050);
  const buffer = await context.decodeAudioData(await (await fetch(clipUrl)).arrayBuffer());
  await vad.resetState();
  const fromBuffer = floatsOf((await vad.run({ input: buffer as never })).output);
  await vad.resetState();
  const fromSamples = floatsOf((await vad.run({ input: { samples: clip.samples.slice(), sampleRate: 22050 } })).output);
  // The browser's decoder scales 16-bit samples its own way: the same probabilities, nearly.
  expect(fromBuffer.length).toBe(fromSamples.length);
  for (const [i, p] of fromSamples.entries()) expect(fromBuffer[i]).toBeCloseTo(p, 3);
});

test('samples that are not audio are an InputError naming the input; the model goes on', async () => {
  const error = await vad.run({ input: [0.1, 0.2] as never }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  expect(error).toMatchObject({ code: 'input-invalid', details: { input: 'input' } });
  await expect(vad.run({ input: new Float32Array(frame) })).resolves.toBeDefined();
});
