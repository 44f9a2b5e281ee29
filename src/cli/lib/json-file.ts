import { readFile } from 'node:fs/promises';
import * as v from 'valibot';
import { CliError, fileError } from './cli-error.js';

/**
 * Reads a JSON file a flag names and checks it against `schema`: a `CliError` that names the
 * file, and the field with what it must be and what it was, for a file missing, not JSON or off
 * the schema.
 */
export async function readJsonFile<S extends v.GenericSchema>(file: string, schema: S): Promise<v.InferOutput<S>> {
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
  const result = v.safeParse(schema, json, { abortEarly: true });
  if (result.success) return result.output;
  const issue = result.issues[0];
  const field = issue.path?.map((item) => String(item.key)).join('.') || '(root)';
  throw new CliError(`${file}: field "${field}" must be ${issue.expected ?? issue.message}, got ${issue.received}`);
}
