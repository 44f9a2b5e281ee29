import { expect, test } from 'vitest';
import { isOutOfMemory, outOfMemoryError } from '../../src/session/out-of-memory.js';

test.each([
  new Error('failed to call OrtRun(). ERROR_CODE: 6, ERROR_MESSAGE: std::bad_alloc'),
  new Error("Can't create a session. failed to allocate a buffer of size 2147483648."),
  new RangeError('Array buffer allocation failed'),
  new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded'),
  'Aborted(OOM)',
  new Error('Cannot enlarge memory arrays to size 4294967296 bytes (OOM)'),
])('%s is out of memory', (error) => {
  expect(isOutOfMemory(error)).toBe(true);
});

test.each([
  new Error("Can't create a session. ERROR_CODE: 1, ERROR_MESSAGE: Integer overflow"),
  new Error('failed to call OrtRun(). ERROR_CODE: 2, ERROR_MESSAGE: Invalid rank for input: x'),
  new TypeError('Failed to fetch'),
])('%s is not', (error) => {
  expect(isOutOfMemory(error)).toBe(false);
});

test('the error says what ran out, keeps the cause, and names the figures', () => {
  const cause = new Error('std::bad_alloc');
  const error = outOfMemoryError('running the model', cause, { model: 'alloc', backend: 'wasm' });
  expect(error).toMatchObject({ name: 'ModelError', code: 'out-of-memory', cause, details: { model: 'alloc', backend: 'wasm' } });
  expect(error.message).toMatch(/4 GiB/);
});
