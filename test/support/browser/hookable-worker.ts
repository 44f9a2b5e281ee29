/**
 * webinfer's worker with test-only hooks, started by `hookableWorkers` (./hookable.ts): the page
 * posts `'hang'` to make it spin forever (a model that never returns) or `'close'` to make it end
 * itself. Comlink ignores these messages (they carry no call).
 */
import '../../../src/worker/worker.js';

self.addEventListener('message', ({ data }: MessageEvent<unknown>) => {
  if (data === 'close') self.close();
  if (data === 'hang') for (;;);
});
