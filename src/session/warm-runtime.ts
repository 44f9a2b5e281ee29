import type { Backend } from '../types.js';
import { configureWasm } from './create-session.js';
import type { OrtLoader } from './ort-loader.js';
import { whyNoWebGpu } from './webgpu-probe.js';

/**
 * An ONNX model of one `Identity` node, `x` → `y`, float32 `[1]` (ONNX IR 8, opset 13): the
 * least a session can be made of.
 */
const identityModel = Uint8Array.from(
  atob('CAhCAhANOjcKEAoBeBIBeSIISWRlbnRpdHkSAWdaDwoBeBIKCggIARIECgIIAWIPCgF5EgoKCAgBEgQKAggB'),
  (c) => c.charCodeAt(0),
);

let warmed = false;

/**
 * Starts onnxruntime-web's wasm runtime in this worker now, when the first backend a load would
 * use is `wasm`: a worker's first session compiles and starts 14 MB of wasm (most of the 1.7 s
 * a warm start of Silero VAD took here), which began only once the files were read. A warm
 * start (every file in the cache) starts it before reading them, and the two go on together:
 * `npm run bench` P1 on VAD 1.15 → 0.90–0.92. The 200 MB model gained nothing on this
 * two-core machine: its 0.9 s read from the cache and the compile share the CPU. A download
 * does not: the start holds the worker's thread for up to a second, and a stream not read
 * meanwhile lost what the browser held of it when its connection then dropped (a resume began
 * from fewer stored chunks than had arrived). A session of
 * `identityModel` makes onnxruntime-web start its runtime (it has no other way in); it is
 * released at once, and the load's own session shares that start. Once per worker; a failure
 * is left for the load's own session to meet and report. WebGPU is left alone: its start asks
 * for a device, and a build that turns out unused would cost the same compile again. When
 * `webgpu` comes first, the probe it waits for was asked as the load started (`probeWebGpu`).
 */
export function warmRuntime(backends: readonly Backend[], loadOrt: OrtLoader, threads: number | undefined): void {
  if (warmed) return;
  warmed = true;
  void (async () => {
    for (const backend of backends) {
      if (backend === 'webgpu' && (await whyNoWebGpu()) !== undefined) continue;
      if (backend !== 'wasm') return;
      const ort = await loadOrt('wasm');
      configureWasm(ort, 'wasm', threads);
      const session = await ort.InferenceSession.create(identityModel, { executionProviders: ['wasm'], logSeverityLevel: 3 });
      await session.release();
      return;
    }
  })().catch(() => undefined);
}
