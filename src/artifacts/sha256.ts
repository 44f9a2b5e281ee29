import { createSHA256 } from 'hash-wasm';

/**
 * The lowercase hex SHA-256 of bytes already whole in memory. WebCrypto digests on a thread of
 * its own, so other work of this worker (reading the next file) goes on meanwhile; where it is
 * missing (`crypto.subtle` needs a secure context), hash-wasm does it here.
 */
export async function sha256Hex(data: Uint8Array<ArrayBuffer>): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return (await createSHA256()).update(data).digest('hex');
  const digest = new Uint8Array(await subtle.digest('SHA-256', data));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
