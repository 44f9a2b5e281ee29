import { defineConfig, type Plugin } from 'vite';
import pkg from './package.json' with { type: 'json' };

/**
 * The library build: the page entry (`dist/index.js`) and the worker entry (`dist/worker.js`),
 * ES modules both. Dependencies stay external, so the app's bundler resolves onnxruntime-web
 * (and emits its `.wasm` from the dependency) and deduplicates the rest.
 */
/** Every runtime dependency stays a bare import, for the app's bundler to resolve and deduplicate. */
const external = Object.keys(pkg.dependencies).map((name) => new RegExp(`^${name.replace('/', '\\/')}(/|$)`));

/** The worker URL as written in `src/runtime/spawn-worker.ts`, which Vite's dev server serves. */
const sourceWorkerUrl = "new URL('../worker/worker.ts', import.meta.url)";
/** The same URL as `dist/` must spell it, literally, for the app's bundler to find the worker. */
const distWorkerUrl = 'new URL("./worker.js", import.meta.url)';
const placeholder = '__WEBINFER_WORKER_URL__';

/**
 * Vite's own worker handling, in library mode, rewrites the worker URL into a form no bundler
 * recognises (`"" + import.meta.url`, `@vite-ignore`). webinfer builds the worker as a second
 * entry instead and writes the literal `new Worker(new URL("./worker.js", import.meta.url))`, so
 * the app's bundler bundles the worker chunk with onnxruntime-web itself.
 */
function literalWorkerUrl(): Plugin {
  let replaced = false;
  return {
    name: 'webinfer:literal-worker-url',
    enforce: 'pre',
    apply: 'build',
    transform(code, id) {
      if (!id.endsWith('/src/runtime/spawn-worker.ts')) return null;
      if (!code.includes(sourceWorkerUrl)) this.error(`spawn-worker.ts no longer contains ${sourceWorkerUrl}`);
      replaced = true;
      return { code: code.replace(sourceWorkerUrl, placeholder), map: null };
    },
    renderChunk(code) {
      return code.includes(placeholder) ? { code: code.replaceAll(placeholder, distWorkerUrl), map: null } : null;
    },
    buildEnd() {
      if (!replaced) this.error('the worker URL in spawn-worker.ts was not rewritten');
    },
  };
}

export default defineConfig({
  plugins: [literalWorkerUrl()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    minify: false,
    sourcemap: true,
    lib: {
      entry: { index: 'src/index.ts', worker: 'src/worker/worker.ts' },
      formats: ['es'],
    },
    rolldownOptions: {
      external,
      // JSDoc lives in the emitted .d.ts (what editors show) and in the sources the maps point to;
      // the JS the page downloads carries none. Annotations (/* @__PURE__ */) stay for minifiers.
      output: { chunkFileNames: '[name]-[hash].js', comments: { jsdoc: false, legal: true, annotation: true } },
    },
  },
});
