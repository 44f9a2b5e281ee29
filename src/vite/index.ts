/**
 * `webinfer/vite`: a Vite plugin that makes webinfer and onnxruntime-web work in a Vite app's dev
 * server and build with no other configuration.
 *
 * ```ts
 * // vite.config.ts
 * import webinfer from 'webinfer/vite';
 * export default { plugins: [webinfer({ crossOriginIsolation: true })] };
 * ```
 */
import type { Plugin } from 'vite';
import { isolationHeaders } from '../lib/isolation-headers.js';
import { ortDistDir, serveOrtFiles } from './ort-files.js';

export interface WebinferPluginOptions {
  /**
   * Serve the dev server and `vite preview` with COOP/COEP, so pages are cross-origin isolated
   * and onnxruntime-web may use wasm threads. Your production host must send the same headers
   * (README: deployment profiles). Default false.
   */
  readonly crossOriginIsolation?: boolean;
}

/**
 * What the plugin does:
 * - dev: onnxruntime-web's `.wasm` and `.mjs` files are answered by name from the installed
 *   package, whatever folder the module that asks for them was served from (pre-bundled
 *   dependencies, a monorepo's hoisted `node_modules` outside `server.fs.allow`): the "magic
 *   word" error of a `.wasm` request answered with `index.html` cannot happen.
 * - build: workers are built as ES modules, so webinfer's worker loads the onnxruntime-web build
 *   a backend needs only when it is used (the plain wasm build, or the WebGPU one), and the
 *   `.wasm` of that build is emitted with a content hash, found by the worker through the URL
 *   the bundler writes; nothing comes from a CDN.
 * - with `crossOriginIsolation`, COOP/COEP on the dev and preview servers.
 */
export default function webinfer(options: WebinferPluginOptions = {}): Plugin {
  const headers = options.crossOriginIsolation ? isolationHeaders : {};
  return {
    name: 'webinfer',
    config: () => ({
      worker: { format: 'es' },
      server: { headers },
      preview: { headers },
    }),
    configureServer(server) {
      server.middlewares.use(serveOrtFiles(ortDistDir(), headers));
    },
  };
}
