/**
 * A `createWorker` for the runtime that starts webinfer's worker with test hooks
 * (./hookable-worker.ts) and keeps each worker it started, newest last, for the test to post
 * `'hang'` or `'close'` to, or to terminate.
 */
export function hookableWorkers(): { createWorker: () => Worker; workers: Worker[] } {
  const workers: Worker[] = [];
  const createWorker = () => {
    const worker = new Worker(new URL('./hookable-worker.ts', import.meta.url), { type: 'module', name: 'webinfer' });
    workers.push(worker);
    return worker;
  };
  return { createWorker, workers };
}
