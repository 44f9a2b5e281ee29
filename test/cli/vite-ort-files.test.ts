/**
 * The `webinfer/vite` dev-server middleware, on a real HTTP server on loopback: onnxruntime-web's
 * files are answered by name, from the installed package, under any folder; anything else passes
 * through to the next handler.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ortDistDir, serveOrtFiles } from '../../src/vite/ort-files.js';

let server: Server;
let url = '';

beforeAll(async () => {
  const middleware = serveOrtFiles(ortDistDir(), { 'Cross-Origin-Embedder-Policy': 'require-corp' });
  server = createServer((request, response) =>
    middleware(request, response, () => {
      response.statusCode = 404;
      response.end('next');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  url = `http://127.0.0.1:${address.port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test("onnxruntime-web's .wasm is served byte for byte wherever it is asked for, typed for streaming compilation", async () => {
  const expected = readFileSync(join(ortDistDir(), 'ort-wasm-simd-threaded.wasm'));
  for (const path of ['/node_modules/.vite/deps/ort-wasm-simd-threaded.wasm', '/assets/ort-wasm-simd-threaded.wasm']) {
    const response = await fetch(`${url}${path}?import`);
    expect(response.status, path).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/wasm');
    expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(Buffer.from(await response.arrayBuffer()).equals(expected), path).toBe(true);
  }
  const glue = await fetch(`${url}/deps/ort-wasm-simd-threaded.jsep.mjs`);
  expect(glue.headers.get('content-type')).toBe('text/javascript');
  expect(await glue.text()).toBe(readFileSync(join(ortDistDir(), 'ort-wasm-simd-threaded.jsep.mjs'), 'utf8'));
});

test('other files, and names onnxruntime-web does not ship, go to the next handler', async () => {
  for (const path of ['/index.html', '/ort-wasm-simd-threaded.nope.wasm', '/ort-wasm.wasm', '/../package.json']) {
    const response = await fetch(`${url}${path}`);
    expect(response.status, path).toBe(404);
    expect(await response.text()).toBe('next');
  }
});
