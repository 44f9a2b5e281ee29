import { registerSW } from 'virtual:pwa-register';
import { setChip } from './lib/chip.js';

/**
 * Registers the service worker that vite-plugin-pwa generates (demo/vite.config.ts): it
 * precaches the app shell, so the page opens with the network off; models and onnxruntime-web's
 * `.wasm` come from webinfer's own cache. The chip says where that stands.
 */
export function registerAppShell(): void {
  if (import.meta.env.DEV) {
    setChip(
      'chip-offline',
      'unknown',
      'Online only (dev)',
      'The service worker is built by `npm run build:demo`; the dev server has none',
    );
    return;
  }
  if (!('serviceWorker' in navigator)) {
    setChip('chip-offline', 'warn', 'No offline', 'This browser has no service workers: the page needs the network to open');
    return;
  }
  const ready = () =>
    setChip('chip-offline', 'good', 'Works offline', 'The app shell is precached: this page opens with the network off');
  if (navigator.serviceWorker.controller) ready();
  else setChip('chip-offline', 'unknown', 'Caching app…', 'The service worker is precaching the app shell');
  registerSW({
    immediate: true,
    onOfflineReady: ready,
    onRegisteredSW: (_url, registration) => {
      if (registration?.active) ready();
    },
    onRegisterError: (error: unknown) => setChip('chip-offline', 'bad', 'No offline', `Service worker: ${String(error)}`),
  });
}
