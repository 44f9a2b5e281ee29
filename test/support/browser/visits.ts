import { createRuntime, type Runtime, type RuntimeOptions } from '../../../src/index.js';

/**
 * Runtimes made the way new page visits make them (each with its own worker: a reload, as far as
 * the cache and onnxruntime-web can tell), closed together at the end.
 */
export function visits(defaults: RuntimeOptions = { backends: ['wasm'] }) {
  const made: Runtime[] = [];
  return {
    visit(options: RuntimeOptions = defaults): Runtime {
      const rt = createRuntime(options);
      made.push(rt);
      return rt;
    },
    closeAll: async (): Promise<void> => {
      await Promise.all(made.splice(0).map((rt) => rt.close()));
    },
  };
}
