import { FetchError } from '../errors.js';

/** What a server said a manifest's text is, for a conditional request later (RFC 9110 §13). */
export interface Validators {
  readonly etag?: string;
  readonly lastModified?: string;
}

export type Revalidation =
  /** 304, or the same text again: the copy held is current. */
  | { readonly changed: false; readonly validators: Validators }
  /** A new text, and its validators. */
  | { readonly changed: true; readonly text: string; readonly validators: Validators };

/** Manifests are small: a larger body is not one. */
const maxManifestBytes = 4 * 1024 * 1024;

/**
 * Asks whether a manifest changed: `If-None-Match` with the ETag it came with, else
 * `If-Modified-Since`, past the browser's HTTP cache (`no-store`: the answer must come from the
 * server). One try: a check that fails is made again at the next interval, and an offline page
 * learns at once. Fails with a `FetchError` (`network`, `http-status`).
 */
export async function revalidateManifest(
  url: string,
  held: { readonly text: string; readonly validators: Validators } | undefined,
  signal?: AbortSignal,
): Promise<Revalidation> {
  const headers: Record<string, string> = {};
  if (held?.validators.etag) headers['If-None-Match'] = held.validators.etag;
  else if (held?.validators.lastModified) headers['If-Modified-Since'] = held.validators.lastModified;
  let response: Response;
  try {
    response = await fetch(url, { headers, cache: 'no-store', ...(signal ? { signal } : {}) });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new FetchError('network', `Could not revalidate ${url}: ${(error as Error).message}`, {
      cause: error,
      details: { url, attempts: 1 },
    });
  }
  const validators = validatorsOf(response, held?.validators);
  if (response.status === 304 && held) return { changed: false, validators };
  if (!response.ok) {
    void response.body?.cancel();
    throw new FetchError('http-status', `Revalidating ${url} answered ${response.status} ${response.statusText}`.trim(), {
      details: { url, status: response.status, expected: '200 or 304' },
    });
  }
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxManifestBytes) {
    void response.body?.cancel();
    throw new FetchError('http-status', `${url} is ${declared} bytes: not a manifest`, {
      details: { url, status: response.status, expected: `at most ${maxManifestBytes} bytes` },
    });
  }
  const text = await response.text();
  return text === held?.text ? { changed: false, validators } : { changed: true, text, validators };
}

/** The response's validators; a 304 may leave some out (they stay as they were). */
function validatorsOf(response: Response, before: Validators | undefined): Validators {
  const etag = response.headers.get('etag') ?? (response.status === 304 ? before?.etag : undefined);
  const lastModified = response.headers.get('last-modified') ?? (response.status === 304 ? before?.lastModified : undefined);
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}
