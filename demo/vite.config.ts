import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { isolationHeaders } from '../scripts/lib/chromium.mjs';

/** The demo app. It imports webinfer from source, so `npm run dev` hot-reloads library changes. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: { alias: { webinfer: fileURLToPath(new URL('../src/index.ts', import.meta.url)) } },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  optimizeDeps: { include: ['onnxruntime-web/wasm', 'onnxruntime-web/webgpu', 'comlink'] },
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});
