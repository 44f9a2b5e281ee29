/**
 * The page side of test/e2e/quota-exceeded.test.ts: a top-level page whose origin's quota the
 * test shrank through the DevTools protocol before the page first used storage. Each scenario
 * returns plain data for the test to assert on.
 */
import { createRuntime, isWebinferError } from '../../../src/index.js';

// Served from the repo root by the test's Vite dev server.
const fixtures = new URL('/test/fixtures/', location.href);
const manifest = (path: string) => new URL(path, fixtures).href;
const chunkBytes = 4 * 2 ** 20;

const ids = async (rt: ReturnType<typeof createRuntime>) => (await rt.cache.list()).map((m) => m.id).sort();

const scenarios = {
  /**
   * Caches a model kept loaded (in use) and one disposed (not in use), then loads the medium
   * model, which the quota cannot hold.
   */
  async overrunWithMemoryFallback(x: number[]) {
    const rt = createRuntime({ backends: ['wasm'], cache: { chunkBytes } });
    try {
      await rt.load(manifest('models/mlp.manifest.json'));
      const idle = await rt.load(manifest('models/mlp-external.manifest.json'));
      await idle.dispose();
      const usageBefore = await rt.cache.usage(); // also waits for onnxruntime-web's binary to be stored
      const cachedBefore = await ids(rt);
      const medium = await rt.load(manifest('large/medium.manifest.json'));
      const { y } = await medium.run({ x: { type: 'float32', data: Float32Array.from(x), dims: [1, x.length] } });
      return {
        usageBefore,
        cachedBefore,
        cachedAfter: await ids(rt),
        cache: medium.info.cache,
        y: Array.from(y?.data as Float32Array),
      };
    } finally {
      await rt.close();
    }
  },

  /** The same load in a new runtime that does not allow running from memory. */
  async overrunWithoutFallback() {
    const rt = createRuntime({ backends: ['wasm'], cache: { chunkBytes, memoryFallback: false } });
    try {
      const medium = await rt.load(manifest('large/medium.manifest.json'));
      return { loaded: medium.info.cache };
    } catch (error) {
      if (!isWebinferError(error)) throw error;
      return { error: { name: error.name, code: error.code, message: error.message, details: error.details } };
    } finally {
      await rt.close();
    }
  },
};

export type QuotaScenarios = typeof scenarios;
(globalThis as unknown as { scenarios: QuotaScenarios }).scenarios = scenarios;
