import { describe, expect, test } from 'vitest';
import { InputError } from '../../src/errors.js';
import { rowsToTensor } from '../../src/transforms/row.js';
import type { RowOp } from '../../src/transforms/schema.js';

const op: RowOp = {
  op: 'row',
  fields: [
    { name: 'age', impute: 35, standardize: { mean: 40, std: 8 } },
    { name: 'income', minMax: { min: 1000, max: 5000 } },
    { name: 'city', oneHot: ['oslo', 'lima', 'pune'], impute: 'lima' },
    { name: 'plan', oneHot: ['free', 'pro'], unknown: 'ignore' },
    { name: 'score' },
  ],
};

function refusal(raw: unknown): InputError {
  try {
    rowsToTensor('features', op, raw);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('row: a tabular row → float32 columns', () => {
  test('standardize, min-max, one-hot and a plain number, in field order', () => {
    const tensor = rowsToTensor('features', op, { age: 48, income: 2000, city: 'pune', plan: 'pro', score: -1.5 });
    // (48−40)/8 = 1; (2000−1000)/4000 = 0.25; pune → 0 0 1; pro → 0 1; −1.5.
    expect(tensor).toEqual({ type: 'float32', data: new Float32Array([1, 0.25, 0, 0, 1, 0, 1, -1.5]), dims: [1, 8] });
  });

  test('missing, null and NaN take the impute value; an unknown category with "ignore" is all zeros', () => {
    const tensor = rowsToTensor('features', op, [
      { age: null, income: 5000, plan: 'enterprise', score: 0 },
      { age: Number.NaN, income: 1000, city: undefined, plan: 'free', score: 2 },
    ]);
    // age 35 → (35−40)/8 = −0.625; city → lima.
    expect(Array.from(tensor.data as Float32Array)).toEqual([-0.625, 1, 0, 1, 0, 0, 0, 0, -0.625, 0, 0, 1, 0, 1, 0, 2]);
    expect(tensor.dims).toEqual([2, 8]);
  });

  test.each([
    [
      'NaN without an impute value',
      { age: 1, income: 1000, plan: 'pro', score: Number.NaN },
      { row: 0, field: 'score', actual: 'NaN' },
    ],
    ['a missing number', { age: 1, income: 1000, plan: 'pro' }, { field: 'score', actual: 'missing' }],
    ['Infinity', { age: 1, income: Number.POSITIVE_INFINITY, plan: 'pro', score: 0 }, { field: 'income', actual: 'Infinity' }],
    [
      'a category not listed (unknown: error)',
      { age: 1, income: 1000, city: 'rome', plan: 'pro', score: 0 },
      { field: 'city', actual: 'string' },
    ],
    ['a number for a category', { age: 1, income: 1000, plan: 3, score: 0 }, { field: 'plan', actual: '3' }],
    ['a string for a number', { age: '1', income: 1000, plan: 'pro', score: 0 }, { field: 'age', actual: 'string' }],
    ['an array for a row', [[1, 2]], { row: 0, expected: 'an object of fields by name', actual: 'an array' }],
    ['no rows', [], { expected: 'a row or rows' }],
  ])('%s: InputError input-invalid naming the input, row and field', (_, raw, details) => {
    const error = refusal(raw);
    expect(error.code).toBe('input-invalid');
    expect(error.details).toMatchObject({ input: 'features', ...details });
  });
});
