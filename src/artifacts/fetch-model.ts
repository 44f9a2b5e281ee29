import { FetchError } from '../errors.js';
import type { LoadProgress } from '../types.js';

export interface FetchModelOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: LoadProgress) => void;
  /** Injectable for tests; defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/** The first bytes of an HTML page (an SPA fallback, an error page), which is never a model. */
const htmlStart = /^\s*<(!doctype|html|head|body|\?xml|!--)/i;

/**
 * Downloads a bare model file and returns its bytes. A status other than 2xx, or a body that is
 * an HTML page, is refused with a `FetchError` naming the URL before anything uses the bytes.
 */
export async function fetchModel(url: string, options: FetchModelOptions = {}): Promise<Uint8Array> {
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
    throw new FetchError('http-status', `Fetching ${url} answered ${response.status} ${response.statusText}`.trim(), {
      details: { url, status: response.status, expected: '2xx' },
    });
  }
  const contentType = response.headers.get('content-type') ?? '';
  if (/text\/html|application\/xhtml/i.test(contentType)) {
    await response.body?.cancel();
    throw notAModel(url, contentType);
  }
  const bytes = await readBody(response, options.onProgress);
  const head = new TextDecoder().decode(bytes.subarray(0, 64));
  if (htmlStart.test(head)) throw notAModel(url, contentType || 'none');
  return bytes;
}

function notAModel(url: string, contentType: string): FetchError {
  return new FetchError('not-a-model', `${url} served an HTML page (content-type: ${contentType}), not an ONNX model`, {
    details: { url, contentType, expected: 'application/octet-stream' },
  });
}

async function readBody(response: Response, onProgress: FetchModelOptions['onProgress']): Promise<Uint8Array> {
  // Content-Length is the encoded size under gzip: use it for progress only, never to size a buffer.
  const declared = Number(response.headers.get('content-length'));
  const total = response.headers.get('content-encoding') || !(declared > 0) ? null : declared;
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onProgress?.({ stage: 'downloading', loaded, total });
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
