import { setChip } from './lib/chip.js';

/** WebGPU's entry point, which TypeScript's DOM library does not declare yet. */
interface NavigatorGpu {
  readonly gpu?: {
    requestAdapter(): Promise<{ readonly info?: { readonly vendor?: string; readonly architecture?: string } } | null>;
  };
}

/**
 * The top bar's facts about this page: online or not, cross-origin isolated (wasm threads need
 * it), and whether WebGPU gives an adapter. Which backend a model gets is `model.info`'s to say.
 */
export function showEnvironment(): void {
  const network = () =>
    navigator.onLine
      ? setChip('chip-network', 'good', 'Online')
      : setChip(
          'chip-network',
          'warn',
          'Offline',
          'Offline: models load from webinfer’s cache, the page from the service worker',
        );
  network();
  addEventListener('online', network);
  addEventListener('offline', network);

  if (crossOriginIsolated)
    setChip('chip-isolated', 'good', 'Isolated', 'Cross-origin isolated: onnxruntime-web may use wasm threads');
  else setChip('chip-isolated', 'warn', 'Not isolated', 'No COOP/COEP headers: wasm runs on one thread');

  const gpu = (navigator as Navigator & NavigatorGpu).gpu;
  if (!gpu) {
    setChip('chip-webgpu', 'warn', 'No WebGPU', 'This browser has no WebGPU: models run on WASM');
    return;
  }
  gpu.requestAdapter().then(
    (adapter) => {
      const about = [adapter?.info?.vendor, adapter?.info?.architecture].filter(Boolean).join(' ');
      if (adapter) setChip('chip-webgpu', 'good', 'WebGPU', `WebGPU adapter${about ? `: ${about}` : ''}`);
      else setChip('chip-webgpu', 'warn', 'No GPU adapter', 'WebGPU is there but gave no adapter: models run on WASM');
    },
    (error: unknown) => setChip('chip-webgpu', 'warn', 'No GPU adapter', String(error)),
  );
}
