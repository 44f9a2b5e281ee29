import { InputError } from '../errors.js';
import type { Tensor } from '../types.js';
import type { RowField, RowOp } from './schema.js';

/** Columns a field becomes: one, or one per category when one-hot. */
export const fieldWidth = (field: RowField) => field.oneHot?.length ?? 1;

/** Columns a row op makes. */
export const rowWidth = (op: RowOp) => op.fields.reduce((sum, field) => sum + fieldWidth(field), 0);

const describe = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'number' ? String(value) : typeof value;

/**
 * A tabular row (an object of named fields) or an array of rows → float32 [rows, columns], each
 * field in manifest order: missing values imputed, numbers standardized or min-max scaled,
 * categories one-hot. A row that cannot be made into columns is refused with an `InputError`
 * naming the input, the row and the field.
 */
export function rowsToTensor(input: string, op: RowOp, raw: unknown): Tensor {
  const rows = Array.isArray(raw) ? raw : [raw];
  if (rows.length === 0) {
    throw new InputError('input-invalid', `Input "${input}" needs at least one row, got an empty array`, {
      details: { input, expected: 'a row or rows', actual: 'an empty array' },
    });
  }
  const width = rowWidth(op);
  const data = new Float32Array(rows.length * width);
  rows.forEach((row: unknown, r) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      const at = Array.isArray(raw) ? ` (row ${r})` : '';
      throw new InputError('input-invalid', `Input "${input}"${at} must be an object of fields by name, got ${describe(row)}`, {
        details: { input, row: r, expected: 'an object of fields by name', actual: describe(row) },
      });
    }
    let column = r * width;
    for (const field of op.fields) {
      writeField(data, column, field, (row as Record<string, unknown>)[field.name], { input, row: r });
      column += fieldWidth(field);
    }
  });
  return { type: 'float32', data, dims: [rows.length, width] };
}

function writeField(
  data: Float32Array,
  column: number,
  field: RowField,
  given: unknown,
  at: { input: string; row: number },
): void {
  const missing = given === undefined || given === null || (typeof given === 'number' && Number.isNaN(given));
  const value = missing ? field.impute : given;
  const refuse = (expected: string) => {
    const actual = given === undefined ? 'missing' : describe(given);
    return new InputError(
      'input-invalid',
      `Input "${at.input}", row ${at.row}, field "${field.name}" must be ${expected}, got ${actual}`,
      { details: { input: at.input, row: at.row, field: field.name, expected, actual } },
    );
  };
  if (field.oneHot) {
    if (typeof value !== 'string') throw refuse(`one of ${JSON.stringify(field.oneHot)}`);
    const index = field.oneHot.indexOf(value);
    if (index < 0 && field.unknown !== 'ignore') throw refuse(`one of ${JSON.stringify(field.oneHot)}`);
    if (index >= 0) data[column + index] = 1;
    return;
  }
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw refuse(missing ? 'a finite number (or give it an "impute" value)' : 'a finite number');
  let scaled = value;
  if (field.standardize) scaled = (value - field.standardize.mean) / field.standardize.std;
  if (field.minMax) scaled = (value - field.minMax.min) / (field.minMax.max - field.minMax.min);
  data[column] = scaled;
}
