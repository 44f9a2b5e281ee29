import type { Runtime } from '../../../src/index.js';

/** Bytes the cache holds for models: its usage without onnxruntime-web's own files. */
export async function modelBytes(rt: Runtime): Promise<number> {
  const usage = await rt.cache.usage();
  return usage.bytes - usage.runtimeBytes;
}
