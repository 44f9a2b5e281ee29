import type { GpuSupport } from '../artifacts/choose-variant.js';

interface GpuAdapterLike {
  readonly features: ReadonlySet<string>;
}

/** This worker's answer, asked once: until a device is lost (`forgetWebGpu`). */
let asked: Promise<GpuSupport> | undefined;

/**
 * Asks for a WebGPU adapter: its features, or why WebGPU cannot be used here. Asked before
 * onnxruntime-web's WebGPU build is even loaded, so a page without WebGPU never downloads it.
 * Asked once per worker, and the answer shared: a load asks up to three times (its build, the
 * warm start of the wasm runtime, its session), and a worker's first `requestAdapter()` took
 * 28–33 ms here (later ones 0.3–1.1 ms). A load starts it as it starts (`openModel`), so the
 * warm start's compile no longer waits 12–57 ms for it.
 */
export function probeWebGpu(): Promise<GpuSupport> {
  asked ??= askForAdapter();
  return asked;
}

/** The device was lost: the next load asks again, since the adapter it had may be gone too. */
export function forgetWebGpu(): void {
  asked = undefined;
}

async function askForAdapter(): Promise<GpuSupport> {
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
