/**
 * Starts webinfer's worker. The `new Worker(new URL(..., import.meta.url), { type: 'module' })`
 * form is the one bundlers recognise: Vite, webpack 5 and others bundle the worker chunk and
 * rewrite the URL, in webinfer's own build and again in the app that depends on it.
 */
export function spawnWorker(): Worker {
  return new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module', name: 'webinfer' });
}
