/**
 * The page side of test/e2e/deployment-profiles.test.ts: built by Vite for production (no inline
 * script; workers as ES modules, files of this origin) and served under each profile's headers.
 * It keeps every CSP violation the page sees, and loads `/models/add.onnx` (copied beside the
 * build) on the backends a scenario names, telling the test what a user would see: the model's
 * info and sum, or the error with its class and code. Telemetry goes to the collector serving it.
 */
import { type Backend, createRuntime, isWebinferError, type Runtime } from '../../../src/index.js';

/** A `securitypolicyviolation` event, as plain data. */
interface Violation {
  readonly directive: string;
  readonly blockedURI: string;
  readonly sourceFile: string;
}

const violations: Violation[] = [];
document.addEventListener('securitypolicyviolation', (event) => {
  violations.push({ directive: event.effectiveDirective, blockedURI: event.blockedURI, sourceFile: event.sourceFile });
});

/** Two runtimes, so that a test can tell a warning per page from one per runtime. */
const runtimes = new Map<string, Runtime>();
const runtime = (name: string): Runtime => {
  let rt = runtimes.get(name);
  if (!rt) {
    rt = createRuntime({ telemetry: { endpoint: '/collect', intervalMs: 600_000, webVitals: false } });
    runtimes.set(name, rt);
  }
  return rt;
};

const tensor = (values: number[]) => ({ type: 'float32' as const, data: Float32Array.from(values), dims: [2, 3] });
/** JSON round trip: what crosses `page.evaluate` is plain data. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value));

const scenarios = {
  /** Loads add.onnx on `backends` in runtime `name` and runs it once; the outcome and its ms. */
  async addOn(backends: Backend[], name = 'a') {
    const started = performance.now();
    try {
      const model = await runtime(name).load('/models/add.onnx', { backends });
      const { sum } = await model.run({ a: tensor([1, 2, 3, 4, 5, 6]), b: tensor([10, 20, 30, 40, 50, 60]) });
      return {
        ok: true as const,
        info: plain(model.info),
        sum: sum && 'data' in sum ? Array.from(sum.data as Float32Array) : null,
        ms: performance.now() - started,
      };
    } catch (error) {
      const { name: errorName, message } = error instanceof Error ? error : new Error(String(error));
      return {
        ok: false as const,
        error: isWebinferError(error)
          ? { name: error.name, code: error.code as string, message, details: plain(error.details) }
          : { name: errorName, code: null, message, details: {} },
        ms: performance.now() - started,
      };
    }
  },
  /** Sends every runtime's telemetry now; resolves once the collector took it. */
  async flush() {
    await Promise.all([...runtimes.values()].map((rt) => rt.flushTelemetry()));
  },
  violations: () => [...violations],
  /**
   * `new Function` on the page: refused under a strict policy (a control, like `evalInWorker`).
   * In a task of its own: code the test evaluates through DevTools is not held to the policy.
   */
  evalInPage() {
    return new Promise<string>((resolve) =>
      setTimeout(() => {
        try {
          resolve(String(new Function('return "evaluated"')()));
        } catch (error) {
          resolve(`${(error as Error).name}: ${(error as Error).message}`);
        }
      }),
    );
  },
  /**
   * `new Function` in a worker of this origin: refused under a strict policy. The test's control
   * that its record of violations would show one, reported from a worker.
   */
  evalInWorker() {
    const worker = new Worker(new URL('./profile.worker.ts', import.meta.url), { type: 'module' });
    return new Promise<{ outcome: string; violations: { directive: string; blockedURI: string }[] }>((resolve) => {
      worker.onmessage = (event) => {
        resolve(event.data);
        worker.terminate();
      };
      worker.postMessage('go');
    });
  },
};

Object.assign(globalThis, { scenarios });
