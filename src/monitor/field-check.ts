import * as v from 'valibot';

/**
 * A pipe check that says what it found: `actual` returns undefined when the value is fine, else
 * a description of what is wrong with it, which becomes the issue's `received` (valibot's `check`
 * reports only the value's type: "got Array", "got Object").
 */
export function valueCheck<T>(expected: string, actual: (input: T) => string | undefined): v.RawCheckAction<T> {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const received = actual(dataset.value);
    if (received !== undefined) addIssue({ expected, received, message: `must be ${expected}, got ${received}` });
  });
}

/**
 * A check across an object's fields, reported on the field `key` (the one a reader should fix),
 * with what was found; `actual` as for {@link valueCheck}.
 */
export function fieldCheck<T extends Record<string, unknown>>(
  key: keyof T & string,
  expected: string,
  actual: (input: T) => string | undefined,
): v.RawCheckAction<T> {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const received = actual(dataset.value);
    if (received === undefined) return;
    const input = dataset.value;
    addIssue({
      expected,
      received,
      message: `must be ${expected}, got ${received}`,
      path: [{ type: 'object', origin: 'value', input, key, value: input[key] }],
    });
  });
}
