// A user's app, as plain as it gets: import webinfer, load a model, run it. The consumer suite
// copies this folder into a fresh Vite app that installs webinfer from its packed tarball and
// builds with Vite's defaults. `?threads=N` passes `threads` to createRuntime.
import { createRuntime } from 'webinfer';

/** A run that has not settled by then is reported as hung, so the test reads a result, not a timeout. */
const runTimeoutMs = 30_000;

const params = new URLSearchParams(location.search);
const threads = params.has('threads') ? { threads: Number(params.get('threads')) } : {};

function describeError(error) {
  return { name: error?.name ?? 'unknown', code: error?.code ?? null, message: error?.message ?? String(error) };
}

async function addOnce(options) {
  const rt = createRuntime({ ...threads, ...options });
  const started = performance.now();
  let timer;
  const hung = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`no result after ${runTimeoutMs} ms`), { name: 'Hung', code: 'hung' })),
      runTimeoutMs,
    );
  });
  try {
    const a = new Float32Array([1, 2, 3, 4, 5, 6]);
    const b = new Float32Array([10, 20, 30, 40, 50, 60]);
    const work = (async () => {
      const model = await rt.load('/models/add.onnx');
      const out = await model.run({
        a: { type: 'float32', data: a, dims: [2, 3] },
        b: { type: 'float32', data: b, dims: [2, 3] },
      });
      return { info: model.info, sum: { type: out.sum.type, data: Array.from(out.sum.data), dims: out.sum.dims } };
    })();
    return { ok: true, ...(await Promise.race([work, hung])), ms: performance.now() - started };
  } catch (error) {
    return { ok: false, error: describeError(error), ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
    await rt.close();
  }
}

function report(result) {
  window.__result = result;
  document.documentElement.dataset.state = 'done';
}

window.addEventListener('error', (event) => report({ pageError: describeError(event.error ?? event.message) }));
window.addEventListener('unhandledrejection', (event) => report({ pageError: describeError(event.reason) }));

async function main() {
  const defaultBackends = await addOnce({});
  const wasmOnly = await addOnce({ backends: ['wasm'] });
  report({ crossOriginIsolated: globalThis.crossOriginIsolated === true, runs: { default: defaultBackends, wasm: wasmOnly } });
}

main().catch((error) => report({ pageError: describeError(error) }));
