import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The files the page loads for `import { createRuntime } from 'webinfer'`: `dist/index.js` and
 * the local chunks it imports statically, never the worker chunk or onnxruntime-web.
 *
 * @param {string} distDir
 * @returns {string[]} absolute paths
 */
export function pageEntryFiles(distDir) {
  const files = new Set([join(distDir, 'index.js')]);
  for (const file of files) {
    const code = readFileSync(file, 'utf8');
    for (const [, spec] of code.matchAll(/^(?:import|export)\b[^'"]*?from\s*["'](\.\/[^"']+)["']/gm)) {
      files.add(join(dirname(file), /** @type {string} */ (spec)));
    }
  }
  return [...files];
}

/**
 * Gzip size (level 9) of the page-side entry, alone and with Comlink, which the page also ships.
 *
 * @param {string} distDir
 * @returns {{ files: string[], bytes: number, gzip: number, gzipWithComlink: number }}
 */
export function pageEntrySize(distDir) {
  const files = pageEntryFiles(distDir);
  const code = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  const require = createRequire(import.meta.url);
  const comlink = readFileSync(join(dirname(require.resolve('comlink')), '../esm/comlink.min.mjs'), 'utf8');
  const gzip = (/** @type {string} */ text) => gzipSync(text, { level: 9 }).byteLength;
  return { files, bytes: Buffer.byteLength(code), gzip: gzip(code), gzipWithComlink: gzip(`${code}\n${comlink}`) };
}
