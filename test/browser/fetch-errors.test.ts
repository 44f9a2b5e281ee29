import { afterAll, expect, test } from 'vitest';
import { createRuntime, FetchError, ModelError } from '../../src/index.js';

/** A model URL that fails, or serves something that is not a model, gets an error naming the URL. */
const rt = createRuntime({ backends: ['wasm'] });
afterAll(() => rt.close());

test('a URL that answers 404', async () => {
  const url = new URL('/test/fixtures/models/no-such-model.onnx', location.href).href;
  const error = await rt.load(url).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(FetchError);
  expect(error).toMatchObject({ code: 'http-status', details: { url, status: 404 } });
  expect((error as Error).message).toContain(url);
});

test('a URL that serves an HTML page with an HTML content type', async () => {
  // The page under test itself: a 200 text/html response, like an SPA fallback.
  const url = location.href;
  const error = await rt.load(url).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(FetchError);
  expect(error).toMatchObject({ code: 'not-a-model', details: { url } });
});

test('an HTML body served with a binary content type', async () => {
  const url = `data:application/octet-stream;base64,${btoa('<!DOCTYPE html><html><body>Not found</body></html>')}`;
  // An object source is always one model file, whatever its URL looks like.
  const error = await rt.load({ url }).catch((e: unknown) => e);
  expect(error).toMatchObject({ name: 'FetchError', code: 'not-a-model' });
});

test('bytes that are not an ONNX model', async () => {
  const url = `data:application/octet-stream;base64,${btoa('\u0001\u0002 definitely not protobuf of a model')}`;
  const error = await rt.load({ url }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ModelError);
  expect(error).toMatchObject({ code: 'model-invalid' });
});

test('a host that cannot be reached', async () => {
  const url = 'http://127.0.0.1:9/model.onnx';
  const error = await rt.load(url).catch((e: unknown) => e);
  expect(error).toMatchObject({ name: 'FetchError', code: 'network', details: { url } });
});
