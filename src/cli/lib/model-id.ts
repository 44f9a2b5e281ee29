import { basename } from 'node:path';

/** The longest id the manifest schema accepts. */
const maxIdLength = 128;

/**
 * A manifest id from a model's file name: `Silero VAD v5.onnx` → `silero-vad-v5`. Lowercased,
 * with runs of anything the schema's id pattern refuses turned into one `-`.
 */
export function defaultModelId(modelFile: string): string {
  const id = basename(modelFile)
    .replace(/\.onnx$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, maxIdLength)
    .replace(/-+$/, '');
  return id || 'model';
}
