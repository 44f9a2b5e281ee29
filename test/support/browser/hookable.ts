/**
 * A `createWorker` for the runtime that starts webinfer's worker with test hooks
 * (./hookable-worker.ts; with `cappedMemory`, ./capped-memory-worker.ts instead) and keeps each worker it started, newest last, for the test to post
 * `'hang'`, `'block'`, `'lose-gpu'` or `'close'` to, or to terminate; `live()` counts those not terminated.
 */
export function hookableWorkers({ cappedMemory = false } = {}): {
  createWorker: () => Worker;
  workers: Worker[];
  live: () => number;
} {
  const workers: Worker[] = [];
  const terminated = new Set<Worker>();
  const createWorker = () => {
    // Each `new Worker(new URL(…))` written out: Vite bundles a worker only in that form.
    const worker = cappedMemory
      ? new Worker(new URL('./capped-memory-worker.ts', import.meta.url), { type: 'module', name: 'webinfer' })
      : new Worker(new URL('./hookable-worker.ts', import.meta.url), { type: 'module', name: 'webinfer' });
    const terminate = worker.terminate.bind(worker);
    worker.terminate = () => {
      terminated.add(worker);
      terminate();
    };
    workers.push(worker);
    return worker;
  };
  return { createWorker, workers, live: () => workers.length - terminated.size };
}
