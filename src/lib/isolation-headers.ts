/**
 * The response headers that make a page cross-origin isolated, which onnxruntime-web's wasm
 * threads need (SharedArrayBuffer): the collector's `site` and the `webinfer/vite` plugin send them.
 */
export const isolationHeaders: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
