/**
 * How webinfer's tests, benchmarks and scripts launch Debian's Chromium (Playwright cannot
 * download its own browsers here). Flags from DESIGN.md: background networking off, since this
 * machine's closed network refuses those connections; `--enable-unsafe-webgpu` gives WebGPU
 * through a software adapter.
 */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** @type {readonly string[]} */
export const baseChromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const webgpuArg = '--enable-unsafe-webgpu';

/** Response headers that make a page cross-origin isolated, which wasm threads need. */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
