import * as v from 'valibot';
import { ManifestError } from '../errors.js';
import { numericTypes, tensorFromNumbers } from '../lib/tensor-from-numbers.js';
import type { Feeds, Tensor, TensorInfo, Tensors } from '../types.js';

const name = v.pipe(v.string(), v.minLength(1), v.maxLength(128));
const dims = v.array(v.pipe(v.number(), v.integer(), v.minValue(0)));
const tolerance = v.pipe(v.number(), v.minValue(0));

const elements = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const canaryTensor = v.pipe(
  v.strictObject({ type: v.picklist(numericTypes), dims, data: v.array(v.union([v.number(), v.boolean()])) }),
  v.check((t) => t.data.length === elements(t.dims), 'data with as many values as dims say'),
);
const canaryExpected = v.pipe(
  v.strictObject({ dims: v.optional(dims), data: v.array(v.number()) }),
  v.check((t) => t.dims === undefined || t.data.length === elements(t.dims), 'data with as many values as dims say'),
);

/**
 * The manifest's `canary`: golden inputs (tensors as the session takes them, after any
 * preprocessing) with the outputs they must give (before postprocessing), within
 * `|actual − expected| ≤ atol + rtol·|expected|` (default 1e-4 and 1e-3: what separates WebGPU's
 * float32 from wasm's, not a wrong model). Run once on each backend the session lands on,
 * before the load resolves; a backend that fails it is passed over for the next.
 */
export const canarySchema = v.pipe(
  v.array(
    v.strictObject({
      name: v.optional(name),
      inputs: v.record(name, canaryTensor),
      outputs: v.record(name, canaryExpected),
      atol: v.optional(tolerance),
      rtol: v.optional(tolerance),
    }),
  ),
  v.maxLength(16),
);

export type Canary = v.InferOutput<typeof canarySchema>;

const defaults = { atol: 1e-4, rtol: 1e-3 } as const;

/** Checks that the canary names the model's inputs and outputs, before it runs. */
export function checkCanary(canary: Canary, inputs: readonly TensorInfo[], outputs: readonly TensorInfo[]): void {
  canary.forEach((item, i) => {
    const wrong = (field: string, expected: readonly TensorInfo[], actual: string) => {
      throw new ManifestError(
        'manifest-invalid',
        `canary[${i}].${field}.${actual}: the model has no such ${field.slice(0, -1)}`,
        {
          details: { field: `canary[${i}].${field}`, expected: expected.map((t) => t.name).join(' | '), actual },
        },
      );
    };
    for (const key of Object.keys(item.inputs)) if (!inputs.some((t) => t.name === key)) wrong('inputs', inputs, key);
    for (const key of Object.keys(item.outputs)) if (!outputs.some((t) => t.name === key)) wrong('outputs', outputs, key);
  });
}

/**
 * Runs the canary through `infer` and says how it failed (the first value out of tolerance, or
 * the error), or undefined when every output matched.
 */
export async function runCanary(canary: Canary, infer: (feeds: Feeds) => Promise<Tensors>): Promise<string | undefined> {
  for (const [i, item] of canary.entries()) {
    const label = item.name ? `canary "${item.name}"` : `canary[${i}]`;
    let outputs: Tensors;
    try {
      outputs = await infer(Object.fromEntries(Object.entries(item.inputs).map(([key, t]) => [key, toTensor(t)])));
    } catch (error) {
      return `${label} failed to run: ${error instanceof Error ? error.message : String(error)}`;
    }
    const atol = item.atol ?? defaults.atol;
    const rtol = item.rtol ?? defaults.rtol;
    for (const [key, expected] of Object.entries(item.outputs)) {
      const actual = outputs[key];
      const values = actual && numbers(actual);
      if (!values) return `${label}: output "${key}" is not a numeric tensor`;
      if (expected.dims && expected.dims.join() !== actual.dims.join()) {
        return `${label}: output "${key}" has dims [${actual.dims}], expected [${expected.dims}]`;
      }
      if (values.length !== expected.data.length) {
        return `${label}: output "${key}" has ${values.length} values, expected ${expected.data.length}`;
      }
      for (let j = 0; j < values.length; j++) {
        const want = expected.data[j] as number;
        const got = values[j] as number;
        if (!(Math.abs(got - want) <= atol + rtol * Math.abs(want))) {
          return `${label}: output "${key}"[${j}] is ${got}, expected ${want} (atol ${atol}, rtol ${rtol})`;
        }
      }
    }
  }
  return undefined;
}

type CanaryTensor = Canary[number]['inputs'][string];

const toTensor = ({ type, dims: shape, data }: CanaryTensor): Tensor => tensorFromNumbers(type, shape, data);

/** An output's values as numbers (float16 decoded); undefined for strings. */
function numbers(tensor: Tensor): ArrayLike<number> | undefined {
  if (tensor.type === 'string') return undefined;
  if (tensor.type === 'float16') return Array.from(tensor.data, halfToFloat);
  if (tensor.type === 'int64' || tensor.type === 'uint64') return Array.from(tensor.data, Number);
  return tensor.data;
}

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
