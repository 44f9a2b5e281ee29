import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { largeModel, largeModelReference, type SyntheticModel, writeLargeModel } from '../../../scripts/lib/large-model.mjs';
import { manifest } from '../../../src/cli/commands/manifest.js';

/** Where the synthetic models live (ignored by git: they are written on demand). */
export const largeModelDir = fileURLToPath(new URL('../../fixtures/large/', import.meta.url));

/**
 * Writes a synthetic model (scripts/lib/large-model.mjs, the 200 MB one unless told) and its
 * manifest, made by webinfer's own `manifest` command, unless they are there; returns an input
 * and the output a float64 reference computes for it.
 */
export async function ensureLargeModel(spec: SyntheticModel = largeModel): Promise<{ x: number[]; y: number[] }> {
  const { model } = writeLargeModel(largeModelDir, spec);
  const manifestPath = join(largeModelDir, `${spec.id}.manifest.json`);
  if (!existsSync(manifestPath)) await manifest([model, '--id', spec.id, '--out', manifestPath]);
  const x = Array.from({ length: spec.features }, (_, i) => Math.fround(Math.sin(i)));
  return { x, y: Array.from(largeModelReference(Float32Array.from(x), spec)) };
}
