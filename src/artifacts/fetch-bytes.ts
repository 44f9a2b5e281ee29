import { FetchError } from '../errors.js';
import { StallWatchdog } from '../lib/stall-watchdog.js';
import { parseContentRange } from './content-range.js';
import { type DownloadBody, type HashedBytes, MemoryBody } from './download-body.js';
import { defaultRetryPolicy, isRetryableStatus, parseRetryAfter, type RetryPolicy, retryDelay, sleep } from './retry-policy.js';

export interface FetchBytesOptions {
  readonly signal?: AbortSignal;
  /**
   * Called after each chunk with the bytes held so far and the file's size when known (the
   * manifest's size, else what the server declared; never Content-Length under compression).
   */
  readonly onBytes?: (loaded: number, total: number | null) => void;
  /** What the URL should hold, for messages: "an ONNX model", "a manifest". */
  readonly what: string;
  /** The size the file must have (from the manifest): a shorter body is resumed, not accepted. */
  readonly expectedBytes?: number;
  readonly retry?: Partial<RetryPolicy>;
  /**
   * The HTTP cache mode. Model files default to `no-store`: webinfer keeps its own verified copy,
   * a second one in the HTTP cache only costs disk, and Chromium's cache was seen to complete a
   * cached partial body with range requests of its own, mixing bytes across a retry.
   */
  readonly cache?: RequestCache;
  /**
   * Where the bytes go (a stored body writes them to the cache as they arrive, and may already
   * hold the start of the file from an earlier visit); default: memory.
   */
  readonly body?: DownloadBody;
  /** Injectable for tests; defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Told of each response whose body is read (its headers: a manifest's validators). */
  readonly onResponse?: (response: Response) => void;
}

/** The bytes and their SHA-256, computed while they streamed in. */
export type FetchedBytes = HashedBytes;

/** The first bytes of an HTML page (an SPA fallback, an error page), which is never an artifact. */
const htmlStart = /^\s*<(!doctype|html|head|body|\?xml|!--)/i;

/** A failure worth another try; `restart` drops the bytes held (they cannot be trusted to resume). */
class Retryable extends Error {
  readonly restart: boolean;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  constructor(
    message: string,
    { restart = false, retryAfterMs, status }: { restart?: boolean; retryAfterMs?: number | undefined; status?: number } = {},
  ) {
    super(message);
    this.restart = restart;
    this.retryAfterMs = retryAfterMs;
    this.status = status;
  }
}

/**
 * Downloads a URL, hashing the bytes as they stream. Network errors, 408/429/5xx, truncated bodies
 * and stalls are retried with capped, jittered backoff, resuming with `Range` + `If-Range` from the
 * last byte held; a 206 must start exactly there and name the same total, a 200 to a range request
 * or a 416 starts again from zero. A status like 404, or an HTML page, fails at once with a
 * `FetchError` naming the URL, before anything uses the bytes.
 */
export async function fetchBytes(url: string, options: FetchBytesOptions): Promise<FetchedBytes> {
  const policy = { ...defaultRetryPolicy, ...options.retry };
  const body = options.body ?? (await MemoryBody.create());
  const state: DownloadState = { total: options.expectedBytes ?? null };
  let last: Retryable | undefined;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    try {
      await fetchOnce(url, body, state, policy, options);
      return await body.finish();
    } catch (error) {
      if (!(error instanceof Retryable) || options.signal?.aborted) throw error;
      last = error;
      if (error.restart) await body.reset();
      if (attempt < policy.attempts) await sleep(retryDelay(attempt, policy, error.retryAfterMs), options.signal);
    }
  }
  const status = last?.status;
  throw new FetchError(
    status ? 'http-status' : 'network',
    `Could not fetch ${url} after ${policy.attempts} attempts: ${last?.message ?? 'unknown error'}`,
    { details: { url, attempts: policy.attempts, ...(status ? { status } : {}) } },
  );
}

interface DownloadState {
  total: number | null;
}

async function fetchOnce(url: string, body: DownloadBody, state: DownloadState, policy: RetryPolicy, options: FetchBytesOptions) {
  const resumeFrom = body.validator !== null ? body.length : 0;
  if (resumeFrom === 0 && body.length > 0) await body.reset();
  if (state.total !== null && resumeFrom === state.total) return;
  const attempt = new AbortController();
  const stall = new StallWatchdog(policy.stallMs, () => attempt.abort(new Retryable(`no bytes for ${policy.stallMs} ms`)));
  const abort = () => attempt.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    const headers: Record<string, string> =
      resumeFrom > 0 ? { Range: `bytes=${resumeFrom}-`, 'If-Range': body.validator ?? '' } : {};
    const init: RequestInit = { signal: attempt.signal, headers, cache: options.cache ?? 'no-store' };
    const response = await (options.fetch ?? fetch)(url, init).catch((error: unknown) => {
      throw toRetryable(error, attempt.signal, options.signal);
    });
    // The file's full size as this server has it; when it differs from the manifest's, the
    // whole body is read and the size check that follows refuses it.
    const declared = checkStatus(url, response, resumeFrom, state);
    if (response.status === 200 && body.length > 0) await body.reset();
    options.onResponse?.(response);
    const startedEmpty = body.length === 0;
    body.validator = strongValidator(response);
    stall.feed();
    const reader = response.body?.getReader();
    if (!reader) throw new Retryable('the response has no body');
    for (;;) {
      const next = await reader.read().catch((error: unknown) => {
        throw toRetryable(error, attempt.signal, options.signal);
      });
      if (next.done) break;
      stall.feed();
      if (startedEmpty && body.length === 0) checkNotHtml(url, response, next.value, options.what);
      const backpressure = body.add(next.value);
      if (backpressure) await backpressure;
      options.onBytes?.(body.length, state.total);
      // More bytes than the file can have: stop; the size check refuses them.
      if (state.total !== null && body.length > state.total) return await reader.cancel();
    }
    const complete = declared ?? state.total;
    if (complete !== null && body.length < complete) throw new Retryable(`the body ended at ${body.length} of ${complete} bytes`);
  } finally {
    stall.stop();
    options.signal?.removeEventListener('abort', abort);
  }
}

/**
 * Reads the status: throws what to do when it is not a body to append; otherwise returns the
 * file's full size as the server declares it (null when it does not, or under compression).
 */
function checkStatus(url: string, response: Response, resumeFrom: number, state: DownloadState): number | null {
  if (response.status === 206) {
    const range = parseContentRange(response.headers.get('content-range'));
    const expectedTotal = state.total;
    if (
      !range ||
      range.start !== resumeFrom ||
      (expectedTotal !== null && range.total !== null && range.total !== expectedTotal)
    ) {
      void response.body?.cancel();
      throw new Retryable(`the server answered a different range (${response.headers.get('content-range')})`, { restart: true });
    }
    state.total ??= range.total;
    return range.total;
  }
  if (response.status === 416) {
    void response.body?.cancel();
    throw new Retryable('the server refused the range (416)', { restart: true, status: 416 });
  }
  if (response.ok) {
    const length = Number(response.headers.get('content-length'));
    // Content-Length is the compressed size under Content-Encoding: only trust it without one.
    const declared = !response.headers.get('content-encoding') && length > 0 ? length : null;
    state.total ??= declared;
    return declared;
  }
  void response.body?.cancel();
  if (isRetryableStatus(response.status)) {
    throw new Retryable(`answered ${response.status}`, {
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      status: response.status,
    });
  }
  throw new FetchError('http-status', `Fetching ${url} answered ${response.status} ${response.statusText}`.trim(), {
    details: { url, status: response.status, expected: '2xx' },
  });
}

function checkNotHtml(url: string, response: Response, head: Uint8Array, what: string): void {
  const contentType = response.headers.get('content-type') ?? '';
  if (/text\/html|application\/xhtml/i.test(contentType) || htmlStart.test(new TextDecoder().decode(head.subarray(0, 64)))) {
    void response.body?.cancel();
    throw new FetchError('not-a-model', `${url} served an HTML page (content-type: ${contentType || 'none'}), not ${what}`, {
      details: { url, contentType: contentType || 'none', expected: what },
    });
  }
}

/** If-Range needs a strong validator (RFC 9110 §13.1.5): a weak ETag cannot resume a download. */
function strongValidator(response: Response): string | null {
  const etag = response.headers.get('etag');
  if (etag && !etag.startsWith('W/')) return etag;
  return response.headers.get('last-modified');
}

function toRetryable(error: unknown, attempt: AbortSignal, caller: AbortSignal | undefined): unknown {
  if (caller?.aborted) return caller.reason;
  if (attempt.aborted && attempt.reason instanceof Retryable) return attempt.reason;
  return new Retryable(error instanceof Error ? error.message : String(error));
}
