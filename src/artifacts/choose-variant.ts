import { BackendError, ManifestError } from '../errors.js';
import type { ResolvedManifest, ResolvedVariant } from './parse-manifest.js';

/** What WebGPU offers here: its adapter's features, or why it cannot be used. */
export type GpuSupport = { readonly features: ReadonlySet<string> } | { readonly unavailable: string };

/** The build a load uses, and why, when it is not the one asked for. */
export interface VariantChoice {
  readonly variant: ResolvedVariant;
  readonly fallbackReason?: string;
}

/**
 * Picks the build of a model to load: the one asked for (default: the top-level files) when this
 * device has what it needs, else the first float32 build that needs nothing missing here, with
 * the reason. A float16 build asked for where WebGPU lacks `shader-f16` so falls back to float32.
 * `gpu` is only asked for when the build asked for needs WebGPU features.
 */
export async function chooseVariant(
  manifest: ResolvedManifest,
  asked: string | undefined,
  gpu: () => Promise<GpuSupport>,
): Promise<VariantChoice> {
  const name = asked ?? 'default';
  const variant = manifest.variants.find((candidate) => candidate.name === name);
  if (!variant) {
    const names = manifest.variants.map((candidate) => candidate.name);
    throw new ManifestError(
      'variant-unknown',
      `Manifest ${manifest.url} lists no variant "${name}" (it lists ${names.join(', ')})`,
      {
        details: { url: manifest.url, field: 'variants', expected: names.join(' | '), actual: name },
      },
    );
  }
  if (variant.needs.length === 0) return { variant };
  const support = await gpu();
  const missing = (candidate: ResolvedVariant) =>
    'features' in support ? candidate.needs.filter((feature) => !support.features.has(feature)) : candidate.needs;
  if (missing(variant).length === 0) return { variant };
  const why =
    'features' in support
      ? `variant "${name}" needs ${missing(variant).join(', ')}, which this WebGPU adapter lacks`
      : `variant "${name}" needs WebGPU (${variant.needs.join(', ')}): ${support.unavailable}`;
  const fallback = manifest.variants.find((candidate) => candidate.precision === 'float32' && missing(candidate).length === 0);
  if (!fallback) {
    throw new BackendError(
      'backend-unavailable',
      `${why}, and manifest ${manifest.url} lists no float32 variant to use instead`,
      {
        details: {
          url: manifest.url,
          variant: name,
          needs: [...variant.needs],
          missing: missing(variant),
          expected: 'a float32 variant',
        },
      },
    );
  }
  return { variant: fallback, fallbackReason: `${why}; using variant "${fallback.name}" (float32)` };
}
