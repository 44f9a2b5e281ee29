import type { GpuSupport } from '../artifacts/choose-variant.js';

interface GpuAdapterLike {
  readonly features: ReadonlySet<string>;
}

/**
 * Asks for a WebGPU adapter: its features, or why WebGPU cannot be used here. Asked before
 * onnxruntime-web's WebGPU build is even loaded, so a page without WebGPU never downloads it.
 */
export async function probeWebGpu(): Promise<GpuSupport> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } } | undefined)?.gpu;
  if (!gpu)
    return { unavailable: 'WebGPU is not available: navigator.gpu is undefined (browser without WebGPU, or WebGPU disabled)' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter)
      return { unavailable: 'WebGPU is not available: navigator.gpu.requestAdapter() returned null (no usable adapter)' };
    return { features: new Set(adapter.features) };
  } catch (error) {
    return {
      unavailable: `WebGPU is not available: requestAdapter() threw ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** Why WebGPU cannot be used here, or `undefined` when an adapter is available. */
export async function whyNoWebGpu(): Promise<string | undefined> {
  const support = await probeWebGpu();
  return 'unavailable' in support ? support.unavailable : undefined;
}
