import type { ModelInfo } from '../types.js';

/** Whether this page was told already (module state of the monitoring chunk: one per page). */
let warned = false;

/**
 * RELIABILITY.md 29: a page without COOP/COEP runs onnxruntime-web on one wasm thread, which the
 * developer fixes in the server's headers, so the page's console says so, once per page: the
 * cause is the page's response, the same for every model, load, runtime and worker restart of it,
 * and a warning per load would be noise a developer learns to ignore. Only `not-isolated` is
 * said: a WebGPU session is single-threaded whatever the headers, and `threads: 1` was asked for.
 * `model.info.singleThread` and the telemetry say it for every load. Returns whether it warned.
 */
export function warnIfNotIsolated(
  info: Pick<ModelInfo, 'singleThread' | 'singleThreadReason'>,
  warn: (message: string) => void = console.warn,
): boolean {
  if (warned || info.singleThread !== 'not-isolated') return false;
  warned = true;
  warn(
    `webinfer: wasm runs on one thread, ${info.singleThreadReason ?? 'the page is not cross-origin isolated'} (said once per page; model.info.singleThread says it per model)`,
  );
  return true;
}
