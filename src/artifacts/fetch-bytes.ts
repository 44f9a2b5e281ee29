import { createSHA256 } from 'hash-wasm';
import { FetchError } from '../errors.js';

export interface FetchBytesOptions {
  readonly signal?: AbortSignal;
  /**
   * Called after each chunk with the bytes received so far and the size the server declared
   * (null when unknown or encoded: under gzip, Content-Length is the compressed size).
   */
  readonly onBytes?: (loaded: number, declared: number | null) => void;
  /** What the URL should hold, for messages: "an ONNX model", "a manifest". */
  readonly what: string;
  /** Injectable for tests; defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
}

export interface FetchedBytes {
  readonly bytes: Uint8Array;
  /** Lowercase hex SHA-256 of `bytes`, computed while they streamed in. */
  readonly sha256: string;
}

/** The first bytes of an HTML page (an SPA fallback, an error page), which is never an artifact. */
const htmlStart = /^\s*<(!doctype|html|head|body|\?xml|!--)/i;

/**
 * Downloads a URL, hashing the bytes as they stream. A status other than 2xx, or a body that is
 * an HTML page, is refused with a `FetchError` naming the URL before anything uses the bytes.
 */
export async function fetchBytes(url: string, options: FetchBytesOptions): Promise<FetchedBytes> {
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, options.signal ? { signal: options.signal } : {});
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new FetchError('network', `Could not fetch ${url}: ${error instanceof Error ? error.message : String(error)}`, {
      details: { url },
      cause: error,
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new FetchError('http-status', `Fetching ${url} answered ${response.status} ${response.statusText}`.trim(), {
      details: { url, status: response.status, expected: '2xx' },
    });
  }
  const contentType = response.headers.get('content-type') ?? '';
  if (/text\/html|application\/xhtml/i.test(contentType)) {
    await response.body?.cancel();
    throw notAnArtifact(url, contentType, options.what);
  }
  const fetched = await readBody(response, options.onBytes);
  if (htmlStart.test(new TextDecoder().decode(fetched.bytes.subarray(0, 64)))) {
    throw notAnArtifact(url, contentType || 'none', options.what);
  }
  return fetched;
}

function notAnArtifact(url: string, contentType: string, what: string): FetchError {
  return new FetchError('not-a-model', `${url} served an HTML page (content-type: ${contentType}), not ${what}`, {
    details: { url, contentType, expected: what },
  });
}

async function readBody(response: Response, onBytes: FetchBytesOptions['onBytes']): Promise<FetchedBytes> {
  const length = Number(response.headers.get('content-length'));
  const declared = response.headers.get('content-encoding') || !(length > 0) ? null : length;
  const hasher = await createSHA256();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const add = (chunk: Uint8Array) => {
    hasher.update(chunk);
    chunks.push(chunk);
    loaded += chunk.byteLength;
    onBytes?.(loaded, declared);
  };
  if (response.body) {
    const reader = response.body.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) add(next.value);
  } else {
    add(new Uint8Array(await response.arrayBuffer()));
  }
  const bytes = chunks.length === 1 ? (chunks[0] as Uint8Array) : concat(chunks, loaded);
  return { bytes, sha256: hasher.digest('hex') };
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
