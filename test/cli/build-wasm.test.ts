import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { compileWat, wasmModuleSource } from '../../scripts/lib/compile-wat.mjs';
import { wasmBase64 } from '../../src/transforms/image-simd.wasm.js';

test('the committed image kernels are what image-simd.wat compiles to (npm run build:wasm)', async () => {
  const compiled = await compileWat(fileURLToPath(new URL('../../src/transforms/image-simd.wat', import.meta.url)));
  expect(Buffer.from(compiled).toString('base64')).toBe(wasmBase64);
  const committed = readFileSync(new URL('../../src/transforms/image-simd.wasm.ts', import.meta.url), 'utf8');
  expect(committed).toBe(wasmModuleSource(compiled, 'image-simd.wat'));
});
