import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CliError, fileError } from './cli-error.js';

/**
 * Reads an Ed25519 private key (PKCS8 PEM, as `webinfer keygen` writes it) as the WebCrypto key
 * `signManifest` takes, so the CLI signs with the very code the runtime verifies with.
 */
export async function readSigningKey(file: string): Promise<CryptoKey> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (error) {
    throw fileError(error, file);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new CliError(`${file} is not an unencrypted PEM private key`, { cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new CliError(
      `${file} holds a key of type ${key.asymmetricKeyType ?? 'unknown'}; manifests are signed with Ed25519 (make a key with \`webinfer keygen\`)`,
    );
  }
  // Node 20 has no KeyObject.toCryptoKey (added in Node 22.10), so the key crosses as PKCS8 DER.
  const der = key.export({ format: 'der', type: 'pkcs8' });
  return crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, false, ['sign']);
}
