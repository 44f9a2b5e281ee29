import { describe, expect, test } from 'vitest';
import {
  AbortError,
  BackendError,
  deserializeError,
  FetchError,
  InputError,
  IntegrityError,
  isWebinferError,
  ManifestError,
  ModelError,
  StateError,
  serializeError,
  WebinferError,
  WorkerError,
} from '../../src/errors.js';

/** What crossing postMessage does to a value. */
const cross = <T>(value: T): T => structuredClone(value);

describe('errors crossing the worker boundary', () => {
  const cases = [
    new InputError('input-shape', 'bad shape', { details: { input: 'x', expected: '[1, 4]', actual: '[1, 5]' } }),
    new FetchError('http-status', 'answered 404', { details: { url: 'http://x/m.onnx', status: 404 } }),
    new ModelError('model-invalid', 'protobuf'),
    new ManifestError('manifest-invalid', 'bad field', { details: { url: 'http://x/m.json', field: 'files.0.sha256' } }),
    new IntegrityError('integrity-mismatch', 'hash differs', { details: { expected: 'aa', actual: 'bb' } }),
    new BackendError('backend-unavailable', 'none', { details: { attempts: [{ backend: 'webgpu', ok: false }] } }),
    new StateError('model-disposed', 'gone'),
    new WorkerError('worker-failed', 'crashed'),
    new AbortError(),
  ];

  test.each(cases.map((error) => [error.name, error] as const))('%s keeps its class, code, message and details', (_, error) => {
    const back = deserializeError(cross(serializeError(error)));
    expect(back).toBeInstanceOf(error.constructor);
    expect(back).toBeInstanceOf(WebinferError);
    expect(back.name).toBe(error.name);
    expect(back.code).toBe(error.code);
    expect(back.message).toBe(error.message);
    expect(back.details).toEqual(error.details);
  });

  test('the cause survives as a name and message', () => {
    const error = new ModelError('inference-failed', 'failed', { cause: new RangeError('offset out of bounds') });
    const back = deserializeError(cross(serializeError(error)));
    expect(back.cause).toEqual({ name: 'RangeError', message: 'offset out of bounds' });
  });

  test('a foreign error becomes an internal WebinferError that names it', () => {
    const back = deserializeError(cross(serializeError(new TypeError('x is not a function'))));
    expect(back.name).toBe('WebinferError');
    expect(back.code).toBe('internal');
    expect(back.message).toBe('x is not a function');
    expect(back.cause).toEqual({ name: 'TypeError', message: 'x is not a function' });
  });

  test('a thrown string is still an error', () => {
    const back = deserializeError(serializeError('boom'));
    expect(back).toBeInstanceOf(WebinferError);
    expect(back.message).toBe('boom');
  });
});

describe('isWebinferError', () => {
  test('recognises errors from another realm by name and code', () => {
    expect(isWebinferError({ name: 'InputError', code: 'input-shape', message: '' })).toBe(true);
    expect(isWebinferError(new InputError('input-missing', 'x'))).toBe(true);
  });

  test('rejects look-alikes', () => {
    expect(isWebinferError(new Error('x'))).toBe(false);
    expect(isWebinferError({ name: 'TypeError', code: 'input-shape' })).toBe(false);
    expect(isWebinferError({ name: 'InputError' })).toBe(false);
    expect(isWebinferError(null)).toBe(false);
  });
});
