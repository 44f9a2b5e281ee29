import canonicalize from 'canonicalize';
import { ManifestError } from '../errors.js';

/**
 * Manifest signatures: Ed25519 over the manifest's canonical bytes, the UTF-8 of its RFC 8785
 * (JSON Canonicalization Scheme) form without the `signature` field. Whitespace, key order and
 * number spelling change nothing; any change of a value breaks the signature. Runs wherever
 * WebCrypto has Ed25519: the worker (Chromium 137+) and Node 20 (the CLI).
 */

const ed25519 = { name: 'Ed25519' } as const;

/** The bytes a manifest's signature covers. */
export function canonicalManifestBytes(manifest: Readonly<Record<string, unknown>>): Uint8Array {
  const { signature: _signature, ...signed } = manifest;
  return new TextEncoder().encode(canonicalize(signed) ?? '');
}

/** Base64url without padding, the spelling of keys and signatures in manifests and options. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Signs a manifest (any `signature` it has is replaced) with an Ed25519 private key. */
export async function signManifest<T extends Record<string, unknown>>(
  manifest: T,
  privateKey: CryptoKey,
): Promise<T & { signature: { alg: 'Ed25519'; value: string } }> {
  const signature = new Uint8Array(
    await crypto.subtle.sign(ed25519, privateKey, canonicalManifestBytes(manifest) as Uint8Array<ArrayBuffer>),
  );
  return { ...manifest, signature: { alg: 'Ed25519', value: toBase64Url(signature) } };
}

/**
 * Checks that `manifest` carries an Ed25519 signature by one of `publicKeys` (raw 32-byte keys in
 * base64url). Throws `signature-invalid` naming the manifest when it is unsigned, when no key
 * verifies it, or when it cannot be checked here.
 */
export async function verifyManifestSignature(
  manifest: Readonly<Record<string, unknown>>,
  publicKeys: readonly string[],
  url: string,
): Promise<void> {
  const refuse = (why: string, actual: string) =>
    new ManifestError('signature-invalid', `Manifest ${url} is refused: ${why}`, {
      details: { url, field: 'signature', expected: 'an Ed25519 signature by a configured key', actual },
    });
  const signature = manifest.signature as { value?: unknown } | undefined;
  if (typeof signature?.value !== 'string') throw refuse('it is not signed, and a manifest key is configured', 'unsigned');
  if (!globalThis.crypto?.subtle) throw refuse('WebCrypto is unavailable here (not a secure context)', 'unverifiable');
  const bytes = canonicalManifestBytes(manifest) as Uint8Array<ArrayBuffer>;
  let value: Uint8Array<ArrayBuffer>;
  try {
    value = fromBase64Url(signature.value);
  } catch {
    throw refuse('its signature is not base64url', 'malformed signature');
  }
  for (const key of publicKeys) {
    const publicKey = await crypto.subtle.importKey('raw', fromBase64Url(key), ed25519, false, ['verify']);
    if (await crypto.subtle.verify(ed25519, publicKey, value, bytes)) return;
  }
  throw refuse('its signature does not verify with any configured key', 'bad signature');
}
