/**
 * A `createWorker` for the runtime that starts webinfer's worker with test hooks
 * (./hookable-worker.ts) and keeps each worker it started, newest last, for the test to post
 * `'hang'`, `'block'`, `'lose-gpu'` or `'close'` to, or to terminate; `live()` counts those not terminated.
 */
export function hookableWorkers(): { createWorker: () => Worker; workers: Worker[]; live: () => number } {
  const workers: Worker[] = [];
  const terminated = new Set<Worker>();
  const createWorker = () => {
    const worker = new Worker(new URL('./hookable-worker.ts', import.meta.url), { type: 'module', name: 'webinfer' });
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
