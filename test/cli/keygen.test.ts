import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fromBase64Url } from '../../src/artifacts/manifest-signature.js';
import { fixtureCopy, runCli } from './support/cli.js';

const dir = fixtureCopy();
const read = (file: string) => readFileSync(join(dir, file), 'utf8');

describe('webinfer keygen', () => {
  test('writes a private key readable by its owner only and a raw public key in base64url', async () => {
    const result = await runCli(['keygen', '--out', 'site'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(read('site.private.pem')).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    expect(statSync(join(dir, 'site.private.pem')).mode & 0o777).toBe(0o600);
    const publicKey = read('site.public.txt').trim();
    expect(publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fromBase64Url(publicKey)).toHaveLength(32);
    expect(result.stdout).toContain(`createRuntime({ manifestKeys: ['${publicKey}'] })`);
  });

  test('refuses to overwrite an existing key pair, and replaces it with --force', async () => {
    const before = read('site.private.pem');
    const refused = await runCli(['keygen', '--out', 'site'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('webinfer keygen: site.private.pem already exists; pass --force to replace the key pair\n');
    expect(read('site.private.pem')).toBe(before);

    const forced = await runCli(['keygen', '--out', 'site', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(read('site.private.pem')).not.toBe(before);
    expect(statSync(join(dir, 'site.private.pem')).mode & 0o777).toBe(0o600);
  });

  test('names its files webinfer-manifest.* by default', async () => {
    expect((await runCli(['keygen'], { cwd: dir })).code).toBe(0);
    expect(read('webinfer-manifest.public.txt').trim()).toHaveLength(43);
  });
});
