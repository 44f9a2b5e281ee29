import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import webinfer from '../src/vite/index.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The demo app. It imports webinfer from source, so `npm run dev` hot-reloads library changes.
 * `public/` (beside demo/) holds what it serves as is: the models and manifests that
 * scripts/demo-models.mjs prepares, the sample clip, the icons.
 */
export default defineConfig({
  root: here('.'),
  publicDir: here('../public'),
  resolve: { alias: { webinfer: here('../src/index.ts') } },
  // Every dependency the page and the worker import, pre-bundled up front: one found mid-session
  // makes Vite re-optimize and reload the page, dropping a load in progress.
  optimizeDeps: {
    include: [
      'onnxruntime-web/wasm',
      'onnxruntime-web/webgpu',
      'comlink',
      'idb',
      'hash-wasm',
      'canonicalize',
      'valibot',
      '@huggingface/tokenizers',
      'web-vitals',
      'uplot',
      'workbox-window',
    ],
  },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  plugins: [
    // The package's own plugin, as an app would use it: COOP/COEP in dev and preview, ES workers.
    webinfer({ crossOriginIsolation: true }),
    VitePWA({
      // Registered by src/pwa.ts through `virtual:pwa-register`: no inline script in the page.
      injectRegister: false,
      registerType: 'autoUpdate',
      manifest: {
        name: 'webinfer playground',
        short_name: 'webinfer',
        description: 'Run ONNX models on your own device, in a Web Worker, on WebGPU or WASM — online or off.',
        theme_color: '#4f46e5',
        background_color: '#f4f5f8',
        display: 'standalone',
        start_url: './',
        scope: './',
        icons: [
          { src: 'icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The app shell only. Models, their manifests and onnxruntime-web's .wasm are left out:
        // webinfer keeps them in its own IndexedDB cache, verified by SHA-256, and serves them
        // offline from there (a second copy here would double the storage).
        // The manifest and its icons are added by the plugin itself (includeManifestIcons).
        globPatterns: ['**/*.{html,js,css,wav}'],
        globIgnores: ['models/**'],
        // The collector's routes on the same origin (npm start) are never the app's page.
        navigateFallbackDenylist: [/^\/(dashboard|api|collect|healthz|metrics|v1)(\/|$)/],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
});
