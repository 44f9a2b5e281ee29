import { afterAll, expect, test } from 'vitest';
import { createRuntime, type Tensor } from '../../src/index.js';
import { mlpExternalManifest, mlpManifest, updateScenario } from '../support/browser/update-server.js';

/**
 * The update server (test/support/node/update-server.ts) as the update tests will see it from a
 * cross-origin isolated page: its validators readable, conditional requests through the CORS
 * preflight, its files counted, delayed and dropped, and the two versions of "mlp-update".
 */

// No cache: mlp.onnx and mlp-external.onnx are stored by other tests under the same SHA-256,
// which would leave this file's download counts to the order the files run in.
const rt = createRuntime({ backends: ['wasm'], cache: false });
afterAll(() => rt.close());

const conditional = (url: string, headers: Record<string, string>) => fetch(url, { headers, cache: 'no-store' });

test('a manifest comes as posted, with a strong ETag, Last-Modified and no-cache; a new one changes both', async () => {
  const at = updateScenario();
  expect((await fetch(at.manifestUrl)).status).toBe(404);
  await at.setManifest('{ "version": "1" }');
  const first = await fetch(at.manifestUrl, { cache: 'no-store' });
  expect(first.status).toBe(200);
  expect(await first.text()).toBe('{ "version": "1" }');
  expect(first.headers.get('content-type')).toBe('application/json');
  expect(first.headers.get('cache-control')).toBe('no-cache');
  const etag = first.headers.get('etag');
  expect(etag).toMatch(/^"[0-9a-f]{16}"$/);
  const lastModified = Date.parse(first.headers.get('last-modified') ?? '');
  expect(Math.abs(lastModified - Date.now())).toBeLessThan(5_000);

  await at.setManifest({ version: '2' });
  const second = await fetch(at.manifestUrl, { cache: 'no-store' });
  expect(await second.json()).toEqual({ version: '2' });
  expect(second.headers.get('etag')).not.toBe(etag);
  // Set within the same second, and still later: If-Modified-Since must not call it unchanged.
  expect(Date.parse(second.headers.get('last-modified') ?? '')).toBeGreaterThan(lastModified);
});

test('If-None-Match and If-Modified-Since are answered 304 when current, If-None-Match deciding when both come', async () => {
  const at = updateScenario();
  await at.setManifest({ version: '1' });
  const current = await fetch(at.manifestUrl, { cache: 'no-store' });
  const etag = current.headers.get('etag') ?? '';
  const lastModified = current.headers.get('last-modified') ?? '';
  const before = new Date(Date.parse(lastModified) - 60_000).toUTCString();

  const notModified = await conditional(at.manifestUrl, { 'If-None-Match': etag });
  expect(notModified.status).toBe(304);
  expect(notModified.headers.get('etag')).toBe(etag);
  expect((await conditional(at.manifestUrl, { 'If-None-Match': `"other", W/${etag}` })).status).toBe(304);
  expect((await conditional(at.manifestUrl, { 'If-None-Match': '"other"' })).status).toBe(200);
  expect((await conditional(at.manifestUrl, { 'If-Modified-Since': lastModified })).status).toBe(304);
  expect((await conditional(at.manifestUrl, { 'If-Modified-Since': before })).status).toBe(200);
  const both = { 'If-None-Match': '"other"', 'If-Modified-Since': lastModified };
  expect((await conditional(at.manifestUrl, both)).status).toBe(200);

  await at.setManifest({ version: '2' });
  expect((await conditional(at.manifestUrl, { 'If-None-Match': etag })).status).toBe(200);
  expect((await conditional(at.manifestUrl, { 'If-Modified-Since': lastModified })).status).toBe(200);

  const log = await at.log();
  expect(log.map((e) => [e.path, e.method, e.status, e.ifNoneMatch, e.ifModifiedSince])).toEqual([
    ['manifest.json', 'GET', 200, null, null],
    ['manifest.json', 'GET', 304, etag, null],
    ['manifest.json', 'GET', 304, `"other", W/${etag}`, null],
    ['manifest.json', 'GET', 200, '"other"', null],
    ['manifest.json', 'GET', 304, null, lastModified],
    ['manifest.json', 'GET', 200, null, before],
    ['manifest.json', 'GET', 200, '"other"', lastModified],
    ['manifest.json', 'GET', 200, etag, null],
    ['manifest.json', 'GET', 200, null, lastModified],
  ]);
  expect(log.every((e, i) => Math.abs(e.at - Date.now()) < 60_000 && (i === 0 || e.at >= (log[i - 1]?.at ?? 0)))).toBe(true);
});

test('files: whole, with a strong ETag, counted as downloads; a delay holds them, down drops them', async () => {
  const at = updateScenario();
  const file = await fetch(`${at.baseUrl}mlp-labels.txt`);
  expect(await file.text()).toBe('low\nmid\nhigh\n');
  expect(file.headers.get('etag')).toMatch(/^"[0-9a-f]{16}"$/);
  expect((await fetch(`${at.baseUrl}..%2Fpackage.json`)).status).toBe(404);
  expect((await fetch(`${at.baseUrl}nothing.onnx`)).status).toBe(404);

  await at.delay(400);
  const started = performance.now();
  expect((await fetch(`${at.baseUrl}mlp.onnx`)).status).toBe(200);
  expect(performance.now() - started).toBeGreaterThanOrEqual(390);
  // A download held in flight, then the network goes: the held response never comes.
  const held = fetch(`${at.baseUrl}mlp.onnx`);
  await new Promise((resolve) => setTimeout(resolve, 100));
  await at.down();
  await expect(held).rejects.toThrow(TypeError);
  await expect(fetch(at.manifestUrl)).rejects.toThrow(TypeError);
  await at.up();
  await at.delay(0);
  expect((await fetch(`${at.baseUrl}mlp.onnx`)).status).toBe(200);

  expect((await at.log()).map((e) => [e.path, e.status])).toEqual([
    ['mlp-labels.txt', 200],
    ['..%2Fpackage.json', 404],
    ['nothing.onnx', 404],
    ['mlp.onnx', 200],
    ['mlp.onnx', 0],
    ['manifest.json', 0],
    ['mlp.onnx', 200],
  ]);
  expect(await at.downloads()).toBe(3);
  expect(await at.downloads('mlp.onnx')).toBe(2);
});

test('mlpManifest and mlpExternalManifest: two versions of "mlp-update" that load and compute different logits', async () => {
  const at = updateScenario();
  const logits = async () => {
    const model = await rt.load(at.manifestUrl);
    const x = { type: 'float32', data: Float32Array.from([0.5, -1, 2, 0.25]), dims: [1, 4] } as const;
    const { logits } = (await model.run({ x })) as { logits: Tensor };
    return { info: model.info, logits: Array.from(logits.data as Float32Array) };
  };

  await at.setManifest(await mlpManifest('1.0.0'));
  const v1 = await logits();
  expect(v1.info).toMatchObject({ id: 'mlp-update', version: '1.0.0', bytes: 523 + 13 });
  expect(await at.downloads('mlp.onnx')).toBe(1);
  expect(await at.downloads('mlp-labels.txt')).toBe(1);

  await at.setManifest(await mlpExternalManifest('2.0.0'));
  const v2 = await logits();
  expect(v2.info).toMatchObject({ id: 'mlp-update', version: '2.0.0', bytes: 504 + 268 + 13 });
  expect(await at.downloads('mlp-external.onnx')).toBe(1);
  expect(await at.downloads('mlp-external-negated.weights')).toBe(1);
  expect(await at.downloads('mlp-labels.txt')).toBe(2);
  expect(await at.downloads()).toBe(5);

  expect(v1.logits).toHaveLength(3);
  expect(v2.logits).toHaveLength(3);
  expect(v1.logits.every((value, i) => Math.abs(value - (v2.logits[i] ?? 0)) > 1e-3)).toBe(true);
});
