import * as v from 'valibot';
import { ManifestError } from '../errors.js';
import { transformsProblem } from '../transforms/check-transforms.js';
import { type Manifest, type ManifestFile, manifestSchema, type Precision } from './manifest-schema.js';

/** A file of a validated manifest, its URL made absolute. */
export interface ResolvedFile extends ManifestFile {
  readonly url: string;
  /** Where the model graph refers to this file (external data), or its file name. */
  readonly path: string;
}

/** One build of the model: the top-level files (named "default") or a listed variant. */
export interface ResolvedVariant {
  readonly name: string;
  readonly precision: Precision;
  /** WebGPU features it cannot run without (`shader-f16` for float16, and those it lists). */
  readonly needs: readonly string[];
  readonly files: readonly ResolvedFile[];
  readonly model: ResolvedFile;
  readonly inputs: Manifest['inputs'];
  readonly outputs: Manifest['outputs'];
}

/** A validated manifest with absolute file URLs. */
export interface ResolvedManifest extends Omit<Manifest, 'files' | 'variants'> {
  readonly url: string;
  readonly files: readonly ResolvedFile[];
  readonly model: ResolvedFile;
  /** Every build, the default first. */
  readonly variants: readonly [ResolvedVariant, ...ResolvedVariant[]];
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
  const transforms = result.output.transforms && transformsProblem(result.output.transforms, result.output);
  if (transforms) throw invalid(manifestUrl, undefined, transforms);
  const { variants: listed = [], ...manifest } = result.output;
  const base = resolveVariant(
    { ...manifest, name: 'default', precision: manifest.precision ?? 'float32' },
    manifest,
    manifestUrl,
    'files',
  );
  const variants: ResolvedManifest['variants'] = [
    base,
    ...listed.map((variant, i) => resolveVariant(variant, manifest, manifestUrl, `variants.${i}.files`)),
  ];
  return { ...manifest, url: manifestUrl, files: base.files, model: base.model, variants };
}

function resolveVariant(
  variant: VariantFields,
  manifest: Pick<Manifest, 'inputs' | 'outputs'>,
  manifestUrl: string,
  field: string,
): ResolvedVariant {
  const files = variant.files.map((file, i) => {
    const url = URL.parse(file.url, manifestUrl)?.href;
    if (url === undefined) {
      const expected = 'a URL, absolute or relative to the manifest (which must then be http(s))';
      throw new ManifestError(
        'manifest-invalid',
        `Manifest ${manifestUrl}: field "${field}.${i}.url" must be ${expected}, got ${file.url}`,
        {
          details: { url: manifestUrl, field: `${field}.${i}.url`, expected, actual: file.url },
        },
      );
    }
    return { ...file, url, path: file.path ?? decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') };
  });
  const needs = new Set([...(variant.precision === 'float16' ? ['shader-f16'] : []), ...(variant.requires ?? [])]);
  return {
    name: variant.name,
    precision: variant.precision,
    needs: [...needs],
    files,
    model: files.find((f) => f.role === 'model') as ResolvedFile,
    inputs: variant.inputs ?? manifest.inputs,
    outputs: variant.outputs ?? manifest.outputs,
  };
}

/** What the top-level files and each listed variant both say. */
interface VariantFields {
  readonly name: string;
  readonly precision: Precision;
  readonly requires?: readonly string[] | undefined;
  readonly files: readonly ManifestFile[];
  readonly inputs?: Manifest['inputs'] | undefined;
  readonly outputs?: Manifest['outputs'] | undefined;
}

function invalid(
  url: string,
  issue: v.BaseIssue<unknown> | undefined,
  problem: { field: string; expected: string; actual: string } = {
    field: issue?.path?.map((item) => String(item.key)).join('.') || '(root)',
    expected: issue?.expected ?? issue?.message ?? 'a valid manifest',
    actual: issue?.received ?? 'invalid',
  },
): ManifestError {
  const { field, expected, actual } = problem;
  return new ManifestError('manifest-invalid', `Manifest ${url}: field "${field}" must be ${expected}, got ${actual}`, {
    details: { url, field, expected, actual },
  });
}
