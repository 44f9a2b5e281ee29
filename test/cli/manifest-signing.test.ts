import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { verifyManifestSignature } from '../../src/artifacts/manifest-signature.js';
import { parseManifest } from '../../src/artifacts/parse-manifest.js';
import { ManifestError } from '../../src/errors.js';
import { fixtureCopy, runCli } from './support/cli.js';

const dir = fixtureCopy();
const url = pathToFileURL(join(dir, 'mlp-external.manifest.json')).href;
let publicKey = '';
let signed: Record<string, unknown> = {};

async function refusal(manifest: Record<string, unknown>): Promise<unknown> {
  return verifyManifestSignature(manifest, [publicKey], url).then(
    () => 'verified',
    (error: unknown) => error,
  );
}

beforeAll(async () => {
  expect((await runCli(['keygen', '--out', 'release'], { cwd: dir })).code).toBe(0);
  publicKey = readFileSync(join(dir, 'release.public.txt'), 'utf8').trim();
  const result = await runCli(['manifest', 'mlp-external.onnx', '--sign-key', 'release.private.pem', '--out', '-'], {
    cwd: dir,
  });
  expect(result.code).toBe(0);
  parseManifest(result.stdout, url);
  signed = JSON.parse(result.stdout);
});

describe('webinfer manifest --sign-key', () => {
  test('signs with Ed25519 so that the runtime verifies the manifest with the public key', async () => {
    expect(signed.signature).toMatchObject({ alg: 'Ed25519' });
    await expect(verifyManifestSignature(signed, [publicKey], url)).resolves.toBeUndefined();
  });

  test('a changed version fails verification with signature-invalid', async () => {
    const error = await refusal({ ...signed, version: '1.0.1' });
    expect(error).toBeInstanceOf(ManifestError);
    expect(error).toMatchObject({ code: 'signature-invalid' });
  });

  test("a changed file's sha256 fails verification with signature-invalid", async () => {
    const files = structuredClone(signed.files) as { sha256: string }[];
    (files[1] as { sha256: string }).sha256 = '0'.repeat(64);
    const error = await refusal({ ...signed, files });
    expect(error).toBeInstanceOf(ManifestError);
    expect(error).toMatchObject({ code: 'signature-invalid' });
  });

  test('a key that is not an Ed25519 private key fails before hashing, exit code 1', async () => {
    const result = await runCli(['manifest', 'mlp.onnx', '--sign-key', 'release.public.txt'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('webinfer manifest: release.public.txt is not an unencrypted PEM private key\n');
  });

  test('an RSA key is refused: manifests are signed with Ed25519', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(dir, 'rsa.pem'), privateKey.export({ format: 'pem', type: 'pkcs8' }));
    const result = await runCli(['manifest', 'mlp.onnx', '--sign-key', 'rsa.pem'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^webinfer manifest: rsa\.pem holds a key of type rsa; manifests are signed with Ed25519.*\n$/);
  });
});
