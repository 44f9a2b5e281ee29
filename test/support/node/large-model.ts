import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { largeModel, largeModelReference, writeLargeModel } from '../../../scripts/lib/large-model.mjs';
import { manifest } from '../../../src/cli/commands/manifest.js';

/** Where the large synthetic model lives (ignored by git: it is written on demand). */
export const largeModelDir = fileURLToPath(new URL('../../fixtures/large/', import.meta.url));

/**
 * Writes the large model (scripts/lib/large-model.mjs) and its manifest, made by webinfer's own
 * `manifest` command, unless they are there; returns an input and the output a float64
 * reference computes for it.
 */
export async function ensureLargeModel(): Promise<{ x: number[]; y: number[] }> {
  const { model } = writeLargeModel(largeModelDir);
  const manifestPath = join(largeModelDir, `${largeModel.id}.manifest.json`);
  if (!existsSync(manifestPath)) await manifest([model, '--id', largeModel.id, '--out', manifestPath]);
  const x = Array.from({ length: largeModel.features }, (_, i) => Math.fround(Math.sin(i)));
  return { x, y: Array.from(largeModelReference(Float32Array.from(x))) };
}
