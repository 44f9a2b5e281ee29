/**
 * webinfer's worker with test-only hooks, started by `hookableWorkers` (./hookable.ts): the page
 * posts `'hang'` to make it spin forever (a model that never returns), `'block'` to hold it
 * for 300 ms, `'lose-gpu'` to destroy onnxruntime-web's GPU device, or `'close'` to make it end
 * itself. Comlink ignores these messages (they carry no call).
 */
import '../../../src/worker/worker.js';

self.addEventListener('message', ({ data }: MessageEvent<unknown>) => {
  if (data === 'close') self.close();
  if (data === 'hang') for (;;);
  if (data === 'lose-gpu') {
    // The same module instance webinfer's worker loaded: destroying its device is a device loss.
    void import('onnxruntime-web/webgpu').then(async (ort) => ((await ort.env.webgpu.device) as { destroy(): void }).destroy());
  }
  if (data === 'block') {
    // Holds the thread for 300 ms, as a long run would: calls sent meanwhile queue up.
    const until = performance.now() + 300;
    while (performance.now() < until);
  }
});
