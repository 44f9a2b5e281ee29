import { type Transforms, transformsSchema } from '../../transforms/schema.js';
import { readJsonFile } from './json-file.js';

/**
 * Reads `--transforms FILE`: the manifest's `transforms` section as JSON (`{ inputs, outputs }`),
 * checked against the schema before any hashing; the checks against the model's inputs and
 * outputs come with the rest of the manifest.
 */
export async function readTransforms(file: string): Promise<Transforms> {
  return readJsonFile(file, transformsSchema);
}
