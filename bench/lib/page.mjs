import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const pageRoot = fileURLToPath(new URL('../page/', import.meta.url));

/**
 * A production build of bench/page into `outDir`, the way a user's Vite app builds webinfer from
 * dist/: Vite bundles the worker chunk and emits onnxruntime-web's `.wasm` from the dependency.
 *
 * @param {string} outDir
 */
export async function buildPage(outDir) {
  await build({
    configFile: false,
    root: pageRoot,
    base: './',
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      // Models stay files: a data: URL would skip the fetch a real app makes.
      assetsInlineLimit: 0,
      target: 'es2022',
      // A profile (BENCH_PROFILE) names functions as the source does.
      ...(process.env.BENCH_PROFILE ? { minify: false } : {}),
      reportCompressedSize: false,
      // Bundling onnxruntime-web takes seconds on two cores; that is expected, not worth a warning.
      rolldownOptions: { checks: { bundlerTimings: false } },
    },
    worker: { rolldownOptions: { checks: { bundlerTimings: false } } },
  });
}
