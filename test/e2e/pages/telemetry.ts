/**
 * The page side of test/e2e/telemetry-reload.test.ts: a top-level page with a runtime whose
 * telemetry goes to the endpoint the test names (in the query), so that a real reload ends one
 * page session and starts the next.
 */
import { createRuntime } from '../../../src/index.js';

const endpoint = new URLSearchParams(location.search).get('endpoint') ?? '';
const rt = createRuntime({ backends: ['wasm'], telemetry: { endpoint, intervalMs: 600_000 } });
const manifest = new URL('/test/fixtures/models/mlp.manifest.json', location.href).href;

const scenarios = {
  /** Runs the model `runs` times, then sends (or, the endpoint down, queues) a beacon. */
  async runAndFlush(runs: number) {
    const model = await rt.load(manifest);
    for (let i = 0; i < runs; i++) {
      await model.run({ x: { type: 'float32', data: Float32Array.from([i, 1, 2, 3]), dims: [1, 4] } });
    }
    await rt.flushTelemetry();
    return rt.metrics().models[0]?.runs ?? 0;
  },
};

Object.assign(globalThis, { scenarios });
