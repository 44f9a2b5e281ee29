import * as v from 'valibot';
import { ManifestError } from '../errors.js';

/**
 * Channels, as MLflow's aliases and TF Serving's version labels: one URL a page loads, naming
 * which manifest each channel runs now, and optionally a rollout — a newer manifest for a
 * percentage of installs, chosen by a stable hash of the install id, so an install stays on the
 * same side across visits and one inside at 10 % is still inside at 50 %.
 *
 * @example
 * {
 *   "format": "webinfer/channels@1",
 *   "id": "vad",
 *   "channels": {
 *     "stable": { "manifest": "5.0.0/manifest.json", "rollout": { "manifest": "5.1.0/manifest.json", "percent": 10 } },
 *     "canary": { "manifest": "5.1.0/manifest.json" }
 *   }
 * }
 */
export const channelsFormat = 'webinfer/channels@1';

/** The channel a load follows when it names none. */
export const defaultChannel = 'stable';

const name = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, 'letters, digits, ".", "_" or "-", at most 64'));
const relativeUrl = v.pipe(v.string(), v.minLength(1), v.maxLength(2048));
const channelsSchema = v.strictObject({
  format: v.literal(channelsFormat),
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  channels: v.pipe(
    v.record(
      name,
      v.strictObject({
        manifest: relativeUrl,
        rollout: v.optional(
          v.strictObject({ manifest: relativeUrl, percent: v.pipe(v.number(), v.minValue(0), v.maxValue(100)) }),
        ),
      }),
    ),
    v.check((channels) => Object.keys(channels).length > 0, 'at least one channel'),
  ),
});

/** Whether a document's text is a channels document (not a manifest). */
export function isChannels(text: string): boolean {
  try {
    return (JSON.parse(text) as { format?: unknown } | null)?.format === channelsFormat;
  } catch {
    return false;
  }
}

/** Which manifest a channels document sends this install to. */
export interface ChannelChoice {
  /** The manifest's absolute URL. */
  readonly manifestUrl: string;
  readonly channel: string;
  /** Whether this install falls inside the channel's rollout (and so gets its manifest). */
  readonly rollout: boolean;
}

/**
 * Resolves `channel` of the channels document `text` (fetched from `url`) for `installId`;
 * a `ManifestError` names a bad field, or the channel missing (`channel-unknown`).
 */
export async function chooseChannel(text: string, url: string, channel: string, installId: string): Promise<ChannelChoice> {
  const result = v.safeParse(channelsSchema, JSON.parse(text), { abortEarly: true });
  if (!result.success) {
    const [issue] = result.issues;
    const field = v.getDotPath(issue) ?? '(root)';
    const expected = issue.expected ?? issue.message;
    throw new ManifestError('manifest-invalid', `Channels ${url}: field "${field}" must be ${expected}, got ${issue.received}`, {
      details: { url, field, expected, actual: issue.received },
    });
  }
  const { id, channels } = result.output;
  const entry = channels[channel];
  if (!entry) {
    const known = Object.keys(channels).join(', ');
    throw new ManifestError('channel-unknown', `Channels ${url} has no channel "${channel}" (it has ${known})`, {
      details: { url, field: 'channels', expected: known, actual: channel },
    });
  }
  const rollout = entry.rollout !== undefined && (await rolloutPoint(installId, id)) < entry.rollout.percent;
  const manifest = rollout && entry.rollout ? entry.rollout.manifest : entry.manifest;
  return { manifestUrl: new URL(manifest, url).href, channel, rollout };
}

/**
 * Where an install falls on the 0–100 scale of a model's rollouts: the first 32 bits of
 * SHA-256("<install id>:<model id>"), scaled. Stable across visits and rollouts of one model;
 * independent between models, so the same installs are not always the first.
 */
export async function rolloutPoint(installId: string, modelId: string): Promise<number> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${installId}:${modelId}`));
  return (new DataView(digest).getUint32(0) / 2 ** 32) * 100;
}
