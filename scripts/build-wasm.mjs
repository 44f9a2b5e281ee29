/**
 * `npm run build:wasm`: compiles the WebAssembly text of src/transforms/image-simd.wat to its
 * binary with wabt and writes it, base64, to src/transforms/image-simd.wasm.ts (committed, so
 * that building the package needs no WebAssembly toolchain; a unit test checks the two agree).
 * `--check` only says whether the committed file is current.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileWat, wasmModuleSource } from './lib/compile-wat.mjs';

const wat = fileURLToPath(new URL('../src/transforms/image-simd.wat', import.meta.url));
const out = fileURLToPath(new URL('../src/transforms/image-simd.wasm.ts', import.meta.url));
const source = wasmModuleSource(await compileWat(wat), 'image-simd.wat');
if (process.argv.includes('--check')) {
  const current = readFileSync(out, 'utf8') === source;
  console.log(current ? 'image-simd.wasm.ts is current' : 'image-simd.wasm.ts is stale: run npm run build:wasm');
  process.exit(current ? 0 : 1);
}
writeFileSync(out, source);
console.log(`wrote ${out}`);
