/**
 * Says why WebGPU cannot be used here, or `undefined` when an adapter is available. Asked before
 * onnxruntime-web's WebGPU build is even loaded, so a page without WebGPU never downloads it.
 */
export async function whyNoWebGpu(): Promise<string | undefined> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
  if (!gpu) return 'WebGPU is not available: navigator.gpu is undefined (browser without WebGPU, or WebGPU disabled)';
  try {
    const adapter = await gpu.requestAdapter();
    return adapter ? undefined : 'WebGPU is not available: navigator.gpu.requestAdapter() returned null (no usable adapter)';
  } catch (error) {
    return `WebGPU is not available: requestAdapter() threw ${error instanceof Error ? error.message : String(error)}`;
  }
}
