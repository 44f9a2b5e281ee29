import { FetchError } from '../errors.js';
import { chooseChannel, isChannels } from './channels.js';
import { type FetchBytesOptions, fetchBytes } from './fetch-bytes.js';
import type { Validators } from './revalidate-manifest.js';
import type { CacheSession } from './store/cache-session.js';

/** A manifest's (or a channels document's) text and validators; `fresh` unless it came from the cache. */
export interface ManifestRead {
  readonly text: string;
  readonly validators: Validators;
  readonly fresh: boolean;
}

/** The channel a channels document sent this install to, and the document itself (to keep with the manifest). */
export interface ChannelRead {
  readonly name: string;
  readonly rollout: boolean;
  readonly document: ManifestRead;
}

/**
 * A manifest text to load as it is (an update's new version, or the version a model was swapped
 * to, loaded again), with what it came with. `url`: its own URL, when the URL loaded is a
 * channels document; `channels`: that document and the channel followed.
 */
export interface PinnedManifest {
  readonly text: string;
  readonly validators: Validators;
  readonly url?: string;
  readonly channels?: {
    readonly text: string;
    readonly validators: Validators;
    readonly channel: string;
    readonly rollout: boolean;
  };
}

export interface ReadManifestOptions {
  readonly transport: Pick<FetchBytesOptions, 'signal' | 'retry'>;
  readonly cache?: CacheSession;
  /** A copy in the cache is used without asking the network (see `FetchArtifactsOptions.cachedFirst`). */
  readonly cachedFirst: boolean;
  readonly channel: string;
  readonly installId: string;
}

/**
 * The manifest a load opens: the one pinned, or the text at `url` — from the cache first when
 * asked, else revalidated. When that text is a channels document, the manifest its channel
 * names for this install, read the same way. `url` in the answer is the manifest's own.
 */
export async function readManifest(
  { url, pinned }: { url: string; pinned?: PinnedManifest },
  options: ReadManifestOptions,
): Promise<{ url: string; read: ManifestRead; channel?: ChannelRead }> {
  if (pinned) {
    const { channels } = pinned;
    const read = { text: pinned.text, validators: pinned.validators, fresh: true };
    if (!channels) return { url: pinned.url ?? url, read };
    const document = { text: channels.text, validators: channels.validators, fresh: true };
    return { url: pinned.url ?? url, read, channel: { name: channels.channel, rollout: channels.rollout, document } };
  }
  const document = await readOne(url, options);
  if (!isChannels(document.text)) return { url, read: document };
  const choice = await chooseChannel(document.text, url, options.channel, options.installId);
  const read = await readOne(choice.manifestUrl, options);
  return { url: choice.manifestUrl, read, channel: { name: choice.channel, rollout: choice.rollout, document } };
}

async function readOne(url: string, { cache, cachedFirst, transport }: ReadManifestOptions): Promise<ManifestRead> {
  const held = cachedFirst ? await cache?.manifestWithValidators(url) : undefined;
  return held ? { ...held, fresh: false } : manifestText(url, transport, cache);
}

/**
 * The manifest, revalidated with the server on every load (it names what is current). With a
 * cached copy, one try only, and the copy serves when the network fails: an offline load does
 * not wait through the retry budget.
 */
async function manifestText(
  url: string,
  transport: Pick<FetchBytesOptions, 'signal' | 'retry'>,
  cache?: CacheSession,
): Promise<ManifestRead> {
  const cached = await cache?.manifestWithValidators(url);
  const retry = cached === undefined ? transport.retry : { ...transport.retry, attempts: 1 };
  let validators: Validators = {};
  const onResponse = (response: Response) => {
    const etag = response.headers.get('etag');
    const lastModified = response.headers.get('last-modified');
    validators = { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
  };
  try {
    const options = { ...transport, ...(retry ? { retry } : {}), what: 'a manifest', cache: 'no-cache' as const, onResponse };
    const text = new TextDecoder().decode((await fetchBytes(url, options)).bytes);
    return { text, validators, fresh: true };
  } catch (error) {
    const offline = error instanceof FetchError && (error.code === 'network' || Number(error.details.status) >= 500);
    if (cached === undefined || !offline) throw error;
    return { ...cached, fresh: false };
  }
}
