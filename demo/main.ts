import vadUrl from '@ricky0123/vad-web/dist/silero_vad_v5.onnx?url';
import { createRuntime, type Feeds, isWebinferError, type Model, type Runtime } from 'webinfer';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const urlInput = $<HTMLInputElement>('url');
const progress = $<HTMLProgressElement>('progress');
const runButton = $<HTMLButtonElement>('run');
urlInput.value = new URL(vadUrl, location.href).href;

let runtime: Runtime | undefined;
let model: Model | undefined;

/** The collector `npm start` runs beside the demo (`collector.json`); none under `npm run dev`. */
const telemetry = fetch('collector.json')
  .then((response) => (response.ok ? (response.json() as Promise<{ endpoint: string }>) : undefined))
  .catch(() => undefined);

function show(list: HTMLElement, entries: Record<string, unknown>): void {
  list.replaceChildren(
    ...Object.entries(entries).flatMap(([key, value]) => {
      const dt = document.createElement('dt');
      const dd = document.createElement('dd');
      dt.textContent = key;
      dd.textContent = typeof value === 'string' ? value : JSON.stringify(value);
      return [dt, dd];
    }),
  );
}

function showError(list: HTMLElement, error: unknown): void {
  show(list, isWebinferError(error) ? { error: error.name, code: error.code, message: error.message } : { error: String(error) });
}

$('load').addEventListener('click', async () => {
  runButton.disabled = true;
  await runtime?.close();
  const collector = await telemetry;
  runtime = createRuntime({
    backends: $<HTMLInputElement>('webgpu').checked ? ['webgpu', 'wasm'] : ['wasm'],
    ...(collector ? { telemetry: { endpoint: collector.endpoint, intervalMs: 10_000 } } : {}),
  });
  try {
    model = await runtime.load(urlInput.value, {
      onProgress: (p) => {
        progress.max = p.total ?? Math.max(p.loaded, 1);
        progress.value = p.loaded;
      },
    });
    const { backend, fallbackReason, threads, crossOriginIsolated, inputs, outputs, loadMs, version } = model.info;
    show($('info'), {
      backend,
      fallbackReason: fallbackReason ?? '—',
      threads,
      crossOriginIsolated,
      version,
      loadMs: Math.round(loadMs),
      inputs,
      outputs,
    });
    runButton.disabled = !model.info.inputs.some((i) => i.name === 'state');
  } catch (error) {
    showError($('info'), error);
  }
});

/** A 200-frame clip: silence, then a voiced-like harmonic burst with noise. */
function frame(index: number): Float32Array {
  const samples = new Float32Array(512);
  for (let i = 0; i < samples.length; i++) {
    const t = (index * 512 + i) / 16000;
    const voiced =
      index > 60 && index < 140 ? 0.3 * (Math.sin(2 * Math.PI * 180 * t) + 0.5 * Math.sin(2 * Math.PI * 360 * t)) : 0;
    samples[i] = voiced + (Math.random() - 0.5) * 0.01;
  }
  return samples;
}

runButton.addEventListener('click', async () => {
  if (!model) return;
  runButton.disabled = true;
  let state = new Float32Array(256);
  const roundTrips: number[] = [];
  const speech: number[] = [];
  try {
    for (let i = 0; i < 200; i++) {
      const feeds: Feeds = {
        input: { type: 'float32', data: frame(i), dims: [1, 512] },
        state: { type: 'float32', data: state, dims: [2, 1, 128] },
        sr: { type: 'int64', data: new BigInt64Array([16000n]), dims: [] },
      };
      const { outputs, timings } = await model.runDetailed(feeds);
      state = outputs.stateN?.data as Float32Array<ArrayBuffer>;
      speech.push(Number(outputs.output?.data[0] ?? 0));
      roundTrips.push(timings.roundTripMs);
    }
    roundTrips.sort((a, b) => a - b);
    const speechFrames = speech.filter((p) => p > 0.5).length;
    show($('result'), {
      'speech frames': `${speechFrames} of 200 (the clip is voiced in frames 61–139)`,
      'p50 round trip': `${roundTrips[100]?.toFixed(2)} ms`,
      'p95 round trip': `${roundTrips[190]?.toFixed(2)} ms`,
    });
  } catch (error) {
    showError($('result'), error);
  } finally {
    runButton.disabled = false;
  }
});
