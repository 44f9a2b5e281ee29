import { readFile } from 'node:fs/promises';
import * as v from 'valibot';
import { type Transforms, transformsSchema } from '../../transforms/schema.js';
import { CliError, fileError } from './cli-error.js';

/**
 * Reads `--transforms FILE`: the manifest's `transforms` section as JSON (`{ inputs, outputs }`),
 * checked against the schema before any hashing; the checks against the model's inputs and
 * outputs come with the rest of the manifest.
 */
export async function readTransforms(file: string): Promise<Transforms> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw fileError(error, file);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const result = v.safeParse(transformsSchema, json, { abortEarly: true });
  if (result.success) return result.output;
  const issue = result.issues[0];
  const field = issue.path?.map((item) => String(item.key)).join('.') || '(root)';
  throw new CliError(`${file}: field "${field}" must be ${issue.expected ?? issue.message}, got ${issue.received}`);
}
