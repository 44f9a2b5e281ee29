import { expect, test } from 'vitest';
import { signManifest, toBase64Url } from '../../src/artifacts/manifest-signature.js';
import { createRuntime, ManifestError } from '../../src/index.js';
import { manifestDataUrl } from '../support/browser/manifests.js';
import { models } from '../support/browser/models.js';

/** With manifestKeys configured, only manifests signed by one of them load. */

async function keyPair() {
  const keys = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  return {
    privateKey: keys.privateKey,
    publicKey: toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey))),
  };
}

async function mlpManifest(): Promise<Record<string, unknown>> {
  const manifest = (await (await fetch(models.mlpManifest)).json()) as { files: { url: string }[] };
  // Absolute file URLs, since the manifest is served from a data: URL in these tests.
  const files = manifest.files.map((file) => ({
    ...file,
    url: new URL(file.url, new URL(models.mlpManifest, location.href)).href,
  }));
  return { ...manifest, files };
}

test('a manifest signed by a configured key loads; unsigned, tampered or foreign ones are refused', async () => {
  const { privateKey, publicKey } = await keyPair();
  const other = await keyPair();
  const rt = createRuntime({ backends: ['wasm'], manifestKeys: [publicKey] });
  const signed = await signManifest(await mlpManifest(), privateKey);

  const model = await rt.load(manifestDataUrl(signed));
  expect(model.info).toMatchObject({ id: 'mlp', version: '1.0.0' });

  const refusals = await Promise.all(
    [await mlpManifest(), { ...signed, version: '6.6.6' }, await signManifest(await mlpManifest(), other.privateKey)].map(
      (manifest) => rt.load(manifestDataUrl(manifest)).catch((e: unknown) => e),
    ),
  );
  for (const error of refusals) {
    expect(error).toBeInstanceOf(ManifestError);
    expect(error).toMatchObject({ code: 'signature-invalid', details: { field: 'signature' } });
  }
  expect(refusals.map((e) => (e as ManifestError).details.actual)).toEqual(['unsigned', 'bad signature', 'bad signature']);
  await rt.close();
});

test('without manifestKeys, signatures are not required', async () => {
  const rt = createRuntime({ backends: ['wasm'] });
  const model = await rt.load(manifestDataUrl(await mlpManifest()));
  expect(model.info.id).toBe('mlp');
  await rt.close();
});
