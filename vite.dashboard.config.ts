import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The collector's dashboard page: `src/collector/dashboard/index.html` and what it imports
 * (uPlot included) into `dist/dashboard/`, built after the library (whose build empties `dist/`).
 * Asset paths are relative (`base: './'`), so the page works wherever the collector mounts it
 * (`/dashboard/`, or under a reverse proxy's prefix); names are hashed, so they can be cached
 * for good. The page has no inline script or style, so it runs under
 * `script-src 'self'; style-src 'self'`.
 */
export default defineConfig({
  root: fileURLToPath(new URL('src/collector/dashboard/', import.meta.url)),
  base: './',
  // No public/ folder: everything the page needs goes through the bundle.
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('dist/dashboard/', import.meta.url)),
    // outDir is outside root, where Vite only empties it when told; this empties dist/dashboard/ only.
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // A module preload polyfill would be one more script for browsers that all have modulepreload.
    modulePreload: { polyfill: false },
    // Small assets stay files: an inlined `data:` font or image would need `data:` in the CSP.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
});
