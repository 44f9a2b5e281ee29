import { describe, expect, test } from 'vitest';
import { InputError } from '../../src/errors.js';
import { validateFeeds } from '../../src/session/validate-feeds.js';
import type { Feeds, TensorInfo } from '../../src/types.js';

const inputs: TensorInfo[] = [
  { name: 'ids', type: 'int64', dims: [1, 'n'] },
  { name: 'mask', type: 'bool', dims: [1, 'n'] },
];
const good = (): Feeds => ({
  ids: { type: 'int64', data: new BigInt64Array([1n, 2n, 3n]), dims: [1, 3] },
  mask: { type: 'bool', data: new Uint8Array([1, 0, 1]), dims: [1, 3] },
});

function failure(feeds: unknown, declared: TensorInfo[] = inputs): InputError {
  try {
    validateFeeds(feeds as Feeds, declared);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('validateFeeds accepted bad feeds');
}

describe('validateFeeds', () => {
  test('accepts feeds that match, symbolic dims of any size', () => {
    expect(() => validateFeeds(good(), inputs)).not.toThrow();
    const longer = {
      ids: { type: 'int64', data: new BigInt64Array(7), dims: [1, 7] },
      mask: { type: 'bool', data: new Uint8Array(7), dims: [1, 7] },
    } satisfies Feeds;
    expect(() => validateFeeds(longer, inputs)).not.toThrow();
  });

  test('an unknown input name', () => {
    const error = failure({ ...good(), idz: good().ids });
    expect(error.code).toBe('input-unknown');
    expect(error.details).toMatchObject({ input: 'idz', expected: ['ids', 'mask'] });
  });

  test('a missing input', () => {
    const { ids } = good();
    const error = failure({ ids });
    expect(error.code).toBe('input-missing');
    expect(error.details.input).toBe('mask');
  });

  test('a dtype that differs from the declared one', () => {
    const error = failure({ ...good(), ids: { type: 'int32', data: new Int32Array(3), dims: [1, 3] } });
    expect(error.code).toBe('input-dtype');
    expect(error.details).toMatchObject({ input: 'ids', expected: 'int64', actual: 'int32' });
  });

  test('data in the wrong array class for its type', () => {
    const error = failure({ ...good(), ids: { type: 'int64', data: new Float64Array(3), dims: [1, 3] } });
    expect(error.code).toBe('input-dtype');
    expect(error.details).toMatchObject({ input: 'ids', expected: 'BigInt64Array', actual: 'Float64Array' });
  });

  test('an unknown type name', () => {
    expect(failure({ ...good(), ids: { type: 'complex64', data: new Float32Array(3), dims: [1, 3] } }).code).toBe('input-dtype');
  });

  test('dims whose product differs from the data length', () => {
    const error = failure({ ...good(), mask: { type: 'bool', data: new Uint8Array(3), dims: [1, 4] } });
    expect(error.code).toBe('input-shape');
    expect(error.details).toMatchObject({ input: 'mask', expected: 4, actual: 3 });
  });

  test('a fixed dimension of the wrong size', () => {
    const error = failure({
      ids: { type: 'int64', data: new BigInt64Array(6), dims: [2, 3] },
      mask: { type: 'bool', data: new Uint8Array(6), dims: [2, 3] },
    });
    expect(error.code).toBe('input-shape');
    expect(error.details).toMatchObject({ input: 'ids', expected: '[1, "n"]', actual: '[2, 3]' });
  });

  test('the wrong rank', () => {
    const error = failure({ ...good(), ids: { type: 'int64', data: new BigInt64Array(3), dims: [3] } });
    expect(error.code).toBe('input-shape');
  });

  test('a symbolic dimension that disagrees across inputs', () => {
    const error = failure({ ...good(), mask: { type: 'bool', data: new Uint8Array(4), dims: [1, 4] } });
    expect(error.code).toBe('input-shape');
    expect(error.message).toContain('"n" is 3 in input "ids"');
  });

  test('negative or fractional dims', () => {
    expect(failure({ ...good(), ids: { type: 'int64', data: new BigInt64Array(3), dims: [1, -3] } }).code).toBe('input-shape');
    expect(failure({ ...good(), ids: { type: 'int64', data: new BigInt64Array(3), dims: [1, 2.5] } }).code).toBe('input-shape');
  });

  test('a detached buffer', () => {
    const data = new BigInt64Array(3);
    structuredClone(data.buffer, { transfer: [data.buffer] });
    const error = failure({ ...good(), ids: { type: 'int64', data, dims: [1, 3] } });
    expect(error.code).toBe('input-detached');
    expect(error.details.input).toBe('ids');
  });

  test('feeds that are not an object of tensors', () => {
    expect(failure(null).code).toBe('input-invalid');
    expect(failure([good().ids]).code).toBe('input-invalid');
    expect(failure({ ...good(), ids: 42 }).code).toBe('input-invalid');
  });

  test('an undeclared shape accepts any dims', () => {
    const declared: TensorInfo[] = [{ name: 'sr', type: 'int64', dims: [] }];
    expect(() => validateFeeds({ sr: { type: 'int64', data: new BigInt64Array([16000n]), dims: [] } }, declared)).not.toThrow();
  });

  test('float16 accepts raw bits in a Uint16Array', () => {
    const declared: TensorInfo[] = [{ name: 'h', type: 'float16', dims: [2] }];
    expect(() => validateFeeds({ h: { type: 'float16', data: new Uint16Array(2), dims: [2] } }, declared)).not.toThrow();
  });
});
