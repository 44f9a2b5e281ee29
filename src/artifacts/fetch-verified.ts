import { IntegrityError } from '../errors.js';
import { type FetchBytesOptions, type FetchedBytes, fetchBytes } from './fetch-bytes.js';

/** RELIABILITY.md 17: a file whose bytes do not match is fetched again at most once. */
const integrityAttempts = 2;

/** Downloads a file that must match `expected`; see `fetchArtifacts`. */
export async function fetchVerified(
  url: string,
  expected: { readonly bytes?: number; readonly sha256: string },
  options: Omit<FetchBytesOptions, 'what'>,
): Promise<FetchedBytes> {
  for (let attempt = 1; ; attempt++) {
    const fetched = await fetchBytes(url, {
      ...options,
      what: 'an ONNX model file',
      ...(expected.bytes === undefined ? {} : { expectedBytes: expected.bytes }),
    });
    const sizeOk = expected.bytes === undefined || fetched.bytes.byteLength === expected.bytes;
    if (sizeOk && fetched.sha256 === expected.sha256) return fetched;
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
  }
}
