import * as v from 'valibot';
import { ManifestError } from '../errors.js';
import { type Manifest, type ManifestFile, manifestSchema } from './manifest-schema.js';

/** A file of a validated manifest, its URL made absolute. */
export interface ResolvedFile extends ManifestFile {
  readonly url: string;
  /** Where the model graph refers to this file (external data), or its file name. */
  readonly path: string;
}

/** A validated manifest with absolute file URLs. */
export interface ResolvedManifest extends Omit<Manifest, 'files'> {
  readonly url: string;
  readonly files: readonly ResolvedFile[];
  readonly model: ResolvedFile;
}

/**
 * Parses and validates a manifest's text, before any model byte is fetched. The first problem
 * found is thrown as a `ManifestError` naming the manifest, the field, the expected and the
 * actual value.
 */
export function parseManifest(text: string, manifestUrl: string): ResolvedManifest {
  return validateManifest(readManifestJson(text, manifestUrl), manifestUrl);
}

/** The manifest's JSON object as written: what its signature covers. */
export function readManifestJson(text: string, manifestUrl: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ManifestError('manifest-invalid', `Manifest ${manifestUrl} is not JSON: ${(error as Error).message}`, {
      details: { url: manifestUrl, field: '(root)', expected: 'JSON object', actual: text.slice(0, 40) },
    });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    const actual = Array.isArray(json) ? 'array' : json === null ? 'null' : typeof json;
    throw new ManifestError('manifest-invalid', `Manifest ${manifestUrl} must be a JSON object, got ${actual}`, {
      details: { url: manifestUrl, field: '(root)', expected: 'object', actual },
    });
  }
  return json as Record<string, unknown>;
}

/** Validates a manifest's JSON object and resolves its file URLs against the manifest's URL. */
export function validateManifest(json: Record<string, unknown>, manifestUrl: string): ResolvedManifest {
  const result = v.safeParse(manifestSchema, json, { abortEarly: true });
  if (!result.success) throw invalid(manifestUrl, result.issues[0]);
  const files = result.output.files.map((file) => {
    const url = new URL(file.url, manifestUrl).href;
    return { ...file, url, path: file.path ?? decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') };
  });
  const model = files.find((f) => f.role === 'model') as ResolvedFile;
  return { ...result.output, url: manifestUrl, files, model };
}

function invalid(url: string, issue: v.BaseIssue<unknown> | undefined): ManifestError {
  const field = issue?.path?.map((item) => String(item.key)).join('.') || '(root)';
  const expected = issue?.expected ?? issue?.message ?? 'a valid manifest';
  const actual = issue?.received ?? 'invalid';
  return new ManifestError('manifest-invalid', `Manifest ${url}: field "${field}" must be ${expected}, got ${actual}`, {
    details: { url, field, expected, actual },
  });
}
