import type * as Ort from 'onnxruntime-web';
import type { Backend } from '../types.js';

/** The onnxruntime-web module: the same API whichever build is loaded. */
export type OrtModule = typeof Ort;

/** Loads the onnxruntime-web build a backend needs, once per backend. */
export type OrtLoader = (backend: Backend) => Promise<OrtModule>;

/**
 * Each backend gets its own build, imported only when first used: the plain wasm build for
 * `wasm` (about 3× faster per call than the WebGPU-capable build's wasm fallback, DESIGN.md) and
 * the WebGPU build for `webgpu`. Both bundle their glue and find their `.wasm` through
 * `new URL(..., import.meta.url)`, so the user's bundler emits the file from the dependency and
 * no `wasmPaths` or CDN is involved.
 */
export function createOrtLoader(): OrtLoader {
  const loaded = new Map<Backend, Promise<OrtModule>>();
  return (backend) => {
    let ort = loaded.get(backend);
    if (!ort) {
      ort = (backend === 'webgpu' ? import('onnxruntime-web/webgpu') : import('onnxruntime-web/wasm')) as Promise<OrtModule>;
      loaded.set(backend, ort);
      // A failed import may succeed later (a flaky network); do not cache the failure.
      ort.catch(() => loaded.delete(backend));
    }
    return ort;
  };
}

/**
 * True in a wasm thread worker that onnxruntime-web started from this very file. onnxruntime-web
 * starts its threads from its own module's URL, named `em-pthread`; when the app's bundler inlines
 * onnxruntime-web into webinfer's worker (Vite's default `iife` worker format does), that URL is
 * webinfer's worker, which must then run onnxruntime-web's thread code instead of the host.
 */
export function isOrtThreadWorker(): boolean {
  return (globalThis as { name?: unknown }).name?.toString().startsWith('em-pthread') === true;
}

/**
 * Runs onnxruntime-web's thread code in this worker: evaluating the build starts it. Only the
 * plain wasm build ever runs with threads (WebGPU sessions are single-threaded, see
 * `create-session.ts`), so it is the build to start.
 */
export function startOrtThread(): Promise<unknown> {
  return import('onnxruntime-web/wasm');
}
