import * as v from 'valibot';
import { CliError } from './cli-error.js';
import { readJsonFile } from './json-file.js';
import type { Sample } from './monitoring-from-samples.js';

/** `--samples FILE`: sample values per input name and, optionally, per output name. */
export interface SamplesFile {
  readonly inputs: Readonly<Record<string, readonly Sample[]>>;
  readonly outputs?: Readonly<Record<string, readonly Sample[]>> | undefined;
}

/** The samples' structure; each sample's values are checked by `badValue`, which says where a bad one is. */
const tensorsSchema = v.record(v.pipe(v.string(), v.minLength(1)), v.pipe(v.array(v.unknown()), v.minLength(1)));
const samplesSchema = v.strictObject({ inputs: tensorsSchema, outputs: v.optional(tensorsSchema) });

/** The path to the first value in `value` that is neither a number, null nor an array, with that value. */
function badValue(value: unknown, path: string): { path: string; value: unknown } | undefined {
  if (value === null || typeof value === 'number') return undefined;
  if (!Array.isArray(value)) return { path, value };
  for (const [i, item] of value.entries()) {
    const bad = badValue(item, `${path}.${i}`);
    if (bad) return bad;
  }
  return undefined;
}

/**
 * Reads `--samples FILE`, checked before any hashing: a JSON object with `inputs` (and
 * optionally `outputs`), each mapping a tensor name to an array of samples, one per item fed
 * (see `Sample`).
 */
export async function readSamples(file: string): Promise<SamplesFile> {
  const { inputs, outputs } = await readJsonFile(file, samplesSchema);
  for (const [field, tensors] of Object.entries({ inputs, outputs })) {
    for (const [name, samples] of Object.entries(tensors ?? {})) {
      const bad = badValue(samples, `${field}.${name}`);
      if (bad) {
        const expected = 'a number, null or an array of them (a sample: a value, a row, nested rows)';
        throw new CliError(`${file}: field "${bad.path}" must be ${expected}, got ${JSON.stringify(bad.value)}`);
      }
    }
  }
  return { inputs: inputs as SamplesFile['inputs'], ...(outputs ? { outputs: outputs as SamplesFile['inputs'] } : {}) };
}

/** The nested array shape of a sample, or a message saying where it is ragged. */
export function sampleShape(sample: Sample): number[] | string {
  if (!Array.isArray(sample)) return [];
  const shapes = (sample as readonly Sample[]).map(sampleShape);
  const [first = []] = shapes;
  if (typeof first === 'string') return first;
  for (const [i, shape] of shapes.entries()) {
    if (typeof shape === 'string') return shape;
    if (shape.join() !== first.join()) return `item ${i} has shape [${shape}] where item 0 has [${first}]`;
  }
  return [sample.length, ...first];
}
