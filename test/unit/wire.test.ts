import { expect, test } from 'vitest';
import { InputError } from '../../src/errors.js';
import { toWire, unwire } from '../../src/lib/wire.js';

const api = {
  async double(n: number) {
    if (!Number.isFinite(n)) throw new InputError('input-invalid', 'not finite', { details: { actual: String(n) } });
    return n * 2;
  },
};

test('a worker method that resolves crosses as its value', async () => {
  const wired = toWire(api);
  expect(unwire(structuredClone(await wired.double(21)))).toBe(42);
});

test('a worker method that throws resolves to data the page turns back into the same error', async () => {
  const wired = toWire(api);
  const wire = structuredClone(await wired.double(Number.NaN));
  expect(wire.ok).toBe(false);
  expect(() => unwire(wire)).toThrow(InputError);
  try {
    unwire(wire);
  } catch (error) {
    expect(error).toMatchObject({ name: 'InputError', code: 'input-invalid', details: { actual: 'NaN' } });
  }
});
