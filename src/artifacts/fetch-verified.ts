import { IntegrityError } from '../errors.js';
import type { DownloadBody } from './download-body.js';
import { type FetchBytesOptions, type FetchedBytes, fetchBytes } from './fetch-bytes.js';

/** RELIABILITY.md 17: a file whose bytes do not match is fetched again at most once. */
const integrityAttempts = 2;

export interface FetchVerifiedOptions extends Omit<FetchBytesOptions, 'what' | 'body' | 'expectedBytes'> {
  /** Opens where each try's bytes go (a stored body keeps them once verified); default: memory. */
  readonly openBody?: () => Promise<DownloadBody>;
}

/**
 * Downloads a file that must match `expected`; see `fetchArtifacts`. Verified bytes are committed
 * to their body (stored as complete); bytes that do not match are discarded, stored or not.
 */
export async function fetchVerified(
  url: string,
  expected: { readonly bytes?: number; readonly sha256: string },
  { openBody, ...options }: FetchVerifiedOptions,
): Promise<FetchedBytes> {
  for (let attempt = 1; ; attempt++) {
    const body = await openBody?.();
    try {
      const fetched = await fetchBytes(url, {
        ...options,
        what: 'an ONNX model file',
        ...(body ? { body } : {}),
        ...(expected.bytes === undefined ? {} : { expectedBytes: expected.bytes }),
      });
      const sizeOk = expected.bytes === undefined || fetched.bytes.byteLength === expected.bytes;
      if (sizeOk && fetched.sha256 === expected.sha256) {
        await body?.commit();
        return fetched;
      }
      await body?.discard();
      if (attempt >= integrityAttempts) {
        throw new IntegrityError(
          'integrity-mismatch',
          `${url} does not match its manifest: expected ${expected.bytes ?? '?'} bytes with SHA-256 ${expected.sha256}, got ${fetched.bytes.byteLength} bytes with SHA-256 ${fetched.sha256}`,
          {
            details: {
              url,
              expected: expected.sha256,
              actual: fetched.sha256,
              expectedBytes: expected.bytes ?? null,
              actualBytes: fetched.bytes.byteLength,
              attempts: attempt,
            },
          },
        );
      }
    } finally {
      // Writes still in flight settle before the file's lock is released: the next agent to
      // open this file sees a consistent record (RELIABILITY.md 19).
      await body?.close();
    }
  }
}
