import type { Runtime } from '../../../src/index.js';

/**
 * Bytes the cache holds for models: its usage without onnxruntime-web's own files. Ask the
 * runtime that loaded last: its worker stores the binary beside the load and settles that first.
 */
export async function modelBytes(rt: Runtime): Promise<number> {
  const usage = await rt.cache.usage();
  return usage.bytes - usage.runtimeBytes;
}
