import { createReadStream, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Connect } from 'vite';

/** onnxruntime-web's runtime files: `ort-wasm-simd-threaded[.jsep|.jspi|.asyncify].{wasm,mjs}`. */
const ortFile = /\/(ort-wasm-simd-threaded(?:\.[a-z]+)?\.(?:wasm|mjs))$/;

/** The folder of onnxruntime-web's files, as the package webinfer depends on resolves it. */
export function ortDistDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
}

/**
 * Dev-server middleware: a request for one of onnxruntime-web's files, under whatever folder the
 * module that asked for it was served from (`/node_modules/.vite/deps/` when a bundle of it was
 * pre-bundled), is answered from the installed package with the right type.
 */
export function serveOrtFiles(dir: string, headers: Readonly<Record<string, string>>): Connect.NextHandleFunction {
  return (request, response, next) => {
    const name = ortFile.exec(new URL(request.url ?? '/', 'http://dev').pathname)?.[1];
    const path = name && join(dir, name);
    if (!path || !existsSync(path)) return next();
    response.setHeader('Content-Type', name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript');
    response.setHeader('Cache-Control', 'no-cache');
    for (const [key, value] of Object.entries(headers)) response.setHeader(key, value);
    createReadStream(path).pipe(response);
  };
}
