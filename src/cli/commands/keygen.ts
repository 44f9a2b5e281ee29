import { KeyObject } from 'node:crypto';
import { access, rm, writeFile } from 'node:fs/promises';
import { toBase64Url } from '../../artifacts/manifest-signature.js';
import { parseCommandArgs, stringFlag } from '../lib/args.js';
import { CliError, fileError, UsageError } from '../lib/cli-error.js';

export const keygenUsage = `Usage: webinfer keygen [--out NAME] [--force]

Makes an Ed25519 key pair for signing manifests:
  NAME.private.pem   the private key (PKCS8 PEM, readable by you only): keep it secret
  NAME.public.txt    the public key (raw 32 bytes, base64url), for createRuntime({ manifestKeys })

Options:
  --out NAME    file name prefix, may include a folder (default: webinfer-manifest)
  --force       overwrite existing key files
  -h, --help    show this help
`;

const defaultName = 'webinfer-manifest';

export async function keygen(argv: readonly string[]): Promise<void> {
  const args = parseCommandArgs(argv, { out: { type: 'string' }, force: { type: 'boolean' } }, keygenUsage);
  if (args.values.help) {
    process.stdout.write(keygenUsage);
    return;
  }
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`, keygenUsage);
  const name = stringFlag(args, 'out') ?? defaultName;
  const privateFile = `${name}.private.pem`;
  const publicFile = `${name}.public.txt`;

  // Both files are checked before either is written, so a refusal never leaves half a pair.
  const replace = args.values.force === true;
  if (!replace) {
    for (const file of [privateFile, publicFile]) {
      if (await exists(file)) throw new CliError(`${file} already exists; pass --force to replace the key pair`);
    }
  }

  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const privatePem = KeyObject.from(pair.privateKey).export({ format: 'pem', type: 'pkcs8' }) as string;
  // The same encoding the page decodes manifest keys with, so what is printed here is what works there.
  const publicKey = toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)));

  await writeNew(privateFile, privatePem, { mode: 0o600, replace });
  await writeNew(publicFile, `${publicKey}\n`, { mode: 0o644, replace });
  process.stdout.write(
    [
      `Wrote ${privateFile} (keep it secret; sign with: webinfer manifest model.onnx --sign-key ${privateFile})`,
      `Wrote ${publicFile}`,
      `Public key: ${publicKey}`,
      `Pass it to the page: createRuntime({ manifestKeys: ['${publicKey}'] })`,
      '',
    ].join('\n'),
  );
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates `file` with `mode`, never through an existing file: one being replaced is removed
 * first, because `writeFile`'s mode only applies when it creates the file and an old key file may
 * be readable by others.
 */
async function writeNew(file: string, text: string, { mode, replace }: { mode: number; replace: boolean }): Promise<void> {
  try {
    if (replace) await rm(file, { force: true });
    await writeFile(file, text, { mode, flag: 'wx' });
  } catch (error) {
    throw fileError(error, file, 'write');
  }
}
