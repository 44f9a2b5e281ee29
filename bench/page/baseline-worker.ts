/**
 * P1's baseline: onnxruntime-web in a fresh worker creating a session from bytes already in
 * memory (transferred in), with the same build and flags webinfer's worker uses.
 */
import * as ort from 'onnxruntime-web/wasm';

self.onmessage = async (event: MessageEvent<ArrayBuffer>) => {
  ort.env.wasm.proxy = false;
  const session = await ort.InferenceSession.create(new Uint8Array(event.data), {
    executionProviders: ['wasm'],
    logSeverityLevel: 3,
  });
  await session.release();
  self.postMessage('ready');
};
