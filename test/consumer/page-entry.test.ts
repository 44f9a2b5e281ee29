import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, test } from 'vitest';
import { pageEntrySize } from '../../scripts/lib/page-entry-size.mjs';

/** What `dist/` promises an app's bundler, checked on the built package (`npm test` builds first). */
const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const read = (file: string) => readFileSync(`${dist}${file}`, 'utf8');

beforeAll(() => {
  if (!existsSync(`${dist}index.js`)) throw new Error('dist/ is missing: run `npm run build` first');
});

/** STYLE.md: a size budget for the page-side entry; issue P7's goal, "15 KB", read as 15,000 B as the bench reads it. */
const pageEntryBudget = 15_000;

test('the page-side entry, with Comlink, stays within its gzip budget', () => {
  const size = pageEntrySize(dist);
  expect(size.gzipWithComlink).toBeLessThanOrEqual(pageEntryBudget);
});

test('the page-side entry never imports onnxruntime-web; only the worker chunk does', () => {
  const importsOrt = /(?:from\s*|import\(\s*)["']onnxruntime-web/;
  for (const file of pageEntrySize(dist).files) expect(readFileSync(file, 'utf8')).not.toMatch(importsOrt);
  expect(read('worker.js')).toMatch(importsOrt);
  expect(read('worker.js')).toContain('import("onnxruntime-web/wasm")');
  expect(read('worker.js')).toContain('import("onnxruntime-web/webgpu")');
});

test('the worker is spawned with the literal URL form that app bundlers recognise', () => {
  expect(read('index.js')).toContain('new Worker(new URL("./worker.js", import.meta.url)');
});

test('type declarations are emitted for the public entry', () => {
  expect(read('index.d.ts')).toContain('createRuntime');
});
