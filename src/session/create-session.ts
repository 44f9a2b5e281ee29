import type { InferenceSession } from 'onnxruntime-web';
import { BackendError, ModelError } from '../errors.js';
import type { Backend, BackendAttempt, SingleThreadCause } from '../types.js';
import type { OrtLoader, OrtModule } from './ort-loader.js';
import { isOutOfMemory, outOfMemoryError } from './out-of-memory.js';
import { whyNoWebGpu } from './webgpu-probe.js';

export interface SessionOptions {
  readonly backends: readonly Backend[];
  readonly loadOrt: OrtLoader;
  /** Wasm threads; `undefined` lets onnxruntime-web choose (half the cores, at most 4). */
  readonly threads?: number | undefined;
  /** Files the graph references by path (ONNX external data). */
  readonly externalData?: readonly { readonly path: string; readonly data: Uint8Array }[];
}

export interface ChosenSession {
  readonly session: InferenceSession;
  readonly ort: OrtModule;
  readonly backend: Backend;
  readonly attempts: readonly BackendAttempt[];
  readonly fallbackReason?: string;
  readonly threads: number;
  /** Why one thread is used when the caller did not ask for one: a code, and what to do about it. */
  readonly singleThread?: { readonly cause: SingleThreadCause; readonly reason: string };
}

const notIsolated =
  'not cross-origin isolated: serve the page with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp to use wasm threads';

/**
 * When an app's bundler inlines onnxruntime-web into webinfer's worker (Vite's default `iife`
 * worker format), a wasm thread starts from webinfer's worker file and cannot tell which build
 * spawned it; it runs the plain wasm build's thread code, which the WebGPU build cannot use. The
 * GPU does a WebGPU session's heavy work, so its CPU side runs on one thread instead of hanging.
 */
const webgpuSingleThread =
  'WebGPU sessions run their CPU operators on one wasm thread (a wasm thread of the WebGPU build cannot be started from a bundled worker)';

/**
 * Creates a session on the first backend that works, trying each on exactly that backend (one
 * execution provider per try), so the backend in use is always known, with the reason each
 * earlier one was passed over.
 */
export async function createSession(model: Uint8Array, options: SessionOptions): Promise<ChosenSession> {
  const attempts: BackendAttempt[] = [];
  for (const backend of options.backends) {
    const unavailable = backend === 'webgpu' ? await whyNoWebGpu() : undefined;
    if (unavailable) {
      attempts.push({ backend, ok: false, reason: unavailable });
      continue;
    }
    try {
      const ort = await options.loadOrt(backend);
      const singleThread = configureWasm(ort, backend, options.threads);
      // logSeverityLevel 3: errors only from the C++ side (its node-placement warnings are noise here).
      const session = await ort.InferenceSession.create(model, {
        executionProviders: [backend],
        logSeverityLevel: 3,
        ...(options.externalData?.length ? { externalData: [...options.externalData] } : {}),
      });
      attempts.push({ backend, ok: true });
      const fallbackReason = attempts
        .filter((a) => !a.ok)
        .map((a) => `${a.backend}: ${a.reason}`)
        .join('; ');
      return {
        session,
        ort,
        backend,
        attempts,
        threads: threadsInUse(ort),
        ...(fallbackReason ? { fallbackReason } : {}),
        ...(singleThread ? { singleThread } : {}),
      };
    } catch (error) {
      // Out of wasm memory: the next backend would only fail the same way, in a worker now 4 GiB large.
      if (backend === 'wasm' && isOutOfMemory(error)) {
        throw outOfMemoryError('creating a session on wasm', error, { backend, bytes: model.byteLength });
      }
      attempts.push({ backend, ok: false, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  const summary = attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ');
  const details = { attempts: attempts.map((a) => ({ ...a })), expected: options.backends.join(' | ') };
  // The wasm backend runs every ONNX operator: when it was tried and failed, the model is at fault.
  if (attempts.some((a) => a.backend === 'wasm' && a.reason !== undefined)) {
    throw new ModelError('model-invalid', `onnxruntime-web could not create a session for this model (${summary})`, { details });
  }
  throw new BackendError(
    'backend-unavailable',
    `No requested backend could run the model (${summary || 'no backends requested'})`,
    {
      details,
    },
  );
}

/**
 * Sets onnxruntime-web's wasm flags before its first session; returns why threads are off when
 * the caller did not ask for one thread. A WebGPU session is single-threaded whatever the page's
 * headers, so it says `webgpu`, not `not-isolated`: only a wasm session would gain from COOP/COEP
 * (and only then does the page warn, see `monitor/single-thread-warning.ts`).
 */
export function configureWasm(ort: OrtModule, backend: Backend, threads: number | undefined): ChosenSession['singleThread'] {
  // We already are in a worker: onnxruntime-web's own proxy worker would only add a hop.
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  const forced =
    backend === 'webgpu'
      ? { cause: 'webgpu' as const, reason: webgpuSingleThread }
      : globalThis.crossOriginIsolated
        ? undefined
        : { cause: 'not-isolated' as const, reason: notIsolated };
  if (forced) ort.env.wasm.numThreads = 1;
  else if (threads !== undefined) ort.env.wasm.numThreads = threads;
  return threads === 1 ? undefined : forced;
}

function threadsInUse(ort: OrtModule): number {
  const set = ort.env.wasm.numThreads;
  if (set !== undefined && set > 0) return set;
  // onnxruntime-web's default when unset (wasm-factory: half the logical cores, at most 4).
  return Math.min(4, Math.ceil((globalThis.navigator?.hardwareConcurrency ?? 1) / 2));
}
