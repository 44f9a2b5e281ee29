import { chooseChannel, defaultChannel, isChannels } from '../artifacts/channels.js';
import { revalidateManifest } from '../artifacts/revalidate-manifest.js';
import type { CacheSession } from '../artifacts/store/cache-session.js';
import type { CheckRequest, ManifestCheck } from './api.js';

/**
 * Revalidates the manifest at `url` against the copy in the cache (see `revalidateManifest`);
 * for a channels document, the document and then the manifest its channel names for this
 * install. Copies found current keep the validators the server gave this time; a changed text is
 * only returned, and kept once a load of it proves good.
 */
export async function checkManifest(url: string, cache: CacheSession, request: CheckRequest): Promise<ManifestCheck> {
  const document = await current(url, cache);
  if (!isChannels(document.text)) return { ...document, url, version: versionOf(document.text) };
  const choice = await chooseChannel(document.text, url, request.channel ?? defaultChannel, request.installId ?? '');
  const manifest = await current(choice.manifestUrl, cache);
  return {
    ...manifest,
    url: choice.manifestUrl,
    channels: { ...document, channel: choice.channel, rollout: choice.rollout },
    version: versionOf(manifest.text),
  };
}

async function current(url: string, cache: CacheSession) {
  const held = await cache.manifestWithValidators(url);
  const found = await revalidateManifest(url, held);
  if (found.changed) return { text: found.text, validators: found.validators };
  if (held) await cache.rememberManifest(url, held.text, found.validators);
  return { text: held?.text ?? '', validators: found.validators };
}

/** A manifest's `version`, read without validating the rest; null when there is none. */
function versionOf(text: string): string | null {
  try {
    const version = (JSON.parse(text) as { version?: unknown } | null)?.version;
    return typeof version === 'string' ? version : null;
  } catch {
    return null;
  }
}
