/**
 * P1's baseline: onnxruntime-web in a fresh worker creating a session from bytes already in
 * memory (transferred in), with the same build and flags webinfer's worker uses.
 */
import * as ort from 'onnxruntime-web/wasm';

/** The model's bytes, and its external-data files by the path the graph names them. */
export interface BaselineRequest {
  readonly model: ArrayBuffer;
  readonly externalData: readonly { readonly path: string; readonly data: ArrayBuffer }[];
}

self.onmessage = async ({ data }: MessageEvent<BaselineRequest>) => {
  ort.env.wasm.proxy = false;
  const session = await ort.InferenceSession.create(new Uint8Array(data.model), {
    executionProviders: ['wasm'],
    logSeverityLevel: 3,
    ...(data.externalData.length > 0
      ? { externalData: data.externalData.map(({ path, data }) => ({ path, data: new Uint8Array(data) })) }
      : {}),
  });
  await session.release();
  self.postMessage('ready');
};
