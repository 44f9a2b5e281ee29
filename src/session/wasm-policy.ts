import { BackendError } from '../errors.js';

/** What the first check in this worker found: `null` when WebAssembly compiles here. */
let refused: { readonly code: 'csp-blocked' | 'backend-unavailable'; readonly message: string } | null | undefined;

/**
 * Throws when this worker may not compile WebAssembly, before anything is downloaded:
 * onnxruntime-web is WebAssembly on every backend (its WebGPU build too), and so is the SHA-256
 * that verifies downloads, so no load could succeed. The usual cause is a Content-Security-Policy
 * without `'wasm-unsafe-eval'` in `script-src` (RELIABILITY.md 28): the browser's own error then
 * blames `'unsafe-eval'`, which would allow far more than is needed. The check compiles the
 * smallest valid module (8 bytes), once per worker: a worker's policy is fixed for its life.
 */
export function assertWasmAllowed(): void {
  refused ??= wasmRefusal();
  if (refused) throw new BackendError(refused.code, refused.message, { details: details(refused.code) });
}

function wasmRefusal(): typeof refused {
  if (typeof WebAssembly === 'undefined') {
    return {
      code: 'backend-unavailable',
      message: 'WebAssembly is not available in this browser (or is turned off), and every webinfer backend needs it',
    };
  }
  try {
    new WebAssembly.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    return null;
  } catch (error) {
    const said = error instanceof Error ? error.message : String(error);
    // Chromium: "... violates the following Content Security policy directive ...";
    // Firefox: "... blocked by CSP"; Safari: "Refused to create a WebAssembly object because ...".
    if (!/content security policy|\bcsp\b|refused/i.test(said)) {
      return { code: 'backend-unavailable', message: `WebAssembly cannot be compiled here (${said})` };
    }
    return {
      code: 'csp-blocked',
      message:
        "WebAssembly is blocked by the Content-Security-Policy of webinfer's worker: add 'wasm-unsafe-eval' to its " +
        "script-src (script-src 'self' 'wasm-unsafe-eval'; 'unsafe-eval' is not needed). Every backend runs " +
        `WebAssembly, WebGPU included. The browser said: ${said}`,
    };
  }
}

function details(code: 'csp-blocked' | 'backend-unavailable') {
  return code === 'csp-blocked' ? { directive: 'script-src', missing: "'wasm-unsafe-eval'" } : {};
}
