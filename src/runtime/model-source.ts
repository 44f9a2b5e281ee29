import type { ModelSource } from '../artifacts/fetch-artifacts.js';
import { refuse, StateError } from '../errors.js';

/** What `rt.load` takes: a manifest URL, a bare `.onnx` URL, or one file with its SHA-256. */
export type LoadSource = string | URL | { readonly url: string | URL; readonly sha256?: string };

/**
 * Names what the worker will fetch. A URL whose path ends in `.onnx` is a bare model; any other
 * URL is a manifest (`manifest.json`, or an extensionless route that serves one).
 */
export function toModelSource(source: LoadSource, base: string | undefined): ModelSource {
  if (typeof source === 'object' && !(source instanceof URL)) {
    const { url, sha256 } = source;
    if (sha256 !== undefined && !/^[0-9a-f]{64}$/.test(sha256)) refuse('sha256', '64 lowercase hex digits', sha256);
    return { kind: 'file', url: absolute(url, base), ...(sha256 ? { sha256 } : {}) };
  }
  const url = absolute(source, base);
  return /\.onnx$/i.test(new URL(url).pathname) ? { kind: 'file', url } : { kind: 'manifest', url };
}

function absolute(url: string | URL, base: string | undefined): string {
  try {
    return new URL(url, base).href;
  } catch {
    throw new StateError('invalid-options', `Not a URL: ${JSON.stringify(String(url))}`, {
      details: { option: 'url', expected: 'an absolute URL, or one relative to the page', actual: String(url) },
    });
  }
}
