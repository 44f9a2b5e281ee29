import { expect, test } from 'vitest';
import { toModelSource } from '../../src/runtime/model-source.js';

const page = 'https://app.test/play/index.html';

test('a URL ending in .onnx is one model file, resolved against the page', () => {
  expect(toModelSource('/models/vad.onnx?v=2', page)).toEqual({ kind: 'file', url: 'https://app.test/models/vad.onnx?v=2' });
});

test('any other URL is a manifest', () => {
  expect(toModelSource('models/vad/manifest.json', page)).toEqual({
    kind: 'manifest',
    url: 'https://app.test/play/models/vad/manifest.json',
  });
  expect(toModelSource(new URL('https://cdn.test/vad/latest'), page)).toEqual({
    kind: 'manifest',
    url: 'https://cdn.test/vad/latest',
  });
});

test('{ url, sha256 } is one file that must match the hash, whatever its extension', () => {
  const sha256 = 'ab'.repeat(32);
  expect(toModelSource({ url: '/blob/123', sha256 }, page)).toEqual({ kind: 'file', url: 'https://app.test/blob/123', sha256 });
});

test('a malformed hash or URL is refused with invalid-options', () => {
  expect(() => toModelSource({ url: '/m.onnx', sha256: 'AB'.repeat(32) }, page)).toThrow(
    expect.objectContaining({ code: 'invalid-options' }),
  );
  expect(() => toModelSource('http://[broken', undefined)).toThrow(expect.objectContaining({ code: 'invalid-options' }));
});
