import { describe, expect, test } from 'vitest';
import {
  canonicalManifestBytes,
  fromBase64Url,
  signManifest,
  toBase64Url,
  verifyManifestSignature,
} from '../../src/artifacts/manifest-signature.js';
import { ManifestError } from '../../src/errors.js';

const url = 'https://example.test/m/manifest.json';
const manifest = { format: 'webinfer/manifest@1', id: 'mlp', version: '1.0.0', files: [{ url: 'mlp.onnx', bytes: 523 }] };

async function keyPair() {
  const keys = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const publicKey = toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey)));
  return { privateKey: keys.privateKey, publicKey };
}

async function refusal(value: Record<string, unknown>, keys: string[]): Promise<ManifestError> {
  const error = await verifyManifestSignature(value, keys, url).catch((e: unknown) => e);
  if (error instanceof ManifestError) return error;
  throw new Error(`expected a ManifestError, got ${String(error)}`);
}

describe('manifest signatures', () => {
  test('the canonical bytes ignore key order, whitespace and the signature itself', () => {
    const reordered = JSON.parse(`{ "version": "1.0.0",  "files": [{"bytes": 523, "url": "mlp.onnx"}], "id": "mlp",
      "format": "webinfer/manifest@1", "signature": { "alg": "Ed25519", "value": "x" } }`);
    expect(canonicalManifestBytes(reordered)).toEqual(canonicalManifestBytes(manifest));
  });

  test('base64url round-trips every byte value', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    expect(toBase64Url(bytes)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  test('a manifest signed with the private key verifies with its public key', async () => {
    const { privateKey, publicKey } = await keyPair();
    const signed = await signManifest(manifest, privateKey);
    expect(signed.signature).toMatchObject({ alg: 'Ed25519' });
    await expect(verifyManifestSignature(signed, [publicKey], url)).resolves.toBeUndefined();
    // Any of several configured keys will do (key rotation).
    await expect(verifyManifestSignature(signed, [(await keyPair()).publicKey, publicKey], url)).resolves.toBeUndefined();
  });

  test('a tampered manifest, an unsigned one, or one signed by another key is refused', async () => {
    const { privateKey, publicKey } = await keyPair();
    const signed = await signManifest(manifest, privateKey);
    expect((await refusal({ ...signed, version: '1.0.1' }, [publicKey])).details).toMatchObject({
      field: 'signature',
      actual: 'bad signature',
    });
    expect((await refusal(manifest, [publicKey])).details).toMatchObject({ actual: 'unsigned' });
    expect((await refusal(signed, [(await keyPair()).publicKey])).code).toBe('signature-invalid');
    expect((await refusal({ ...signed, signature: { alg: 'Ed25519', value: '***' } }, [publicKey])).code).toBe(
      'signature-invalid',
    );
  });
});
