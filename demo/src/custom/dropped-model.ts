import type { ModelSpec } from '../catalog.js';
import { formatBytes } from '../lib/format.js';

/** A manifest id from a file name: what webinfer's manifest schema allows (letters, digits, `.`, `_`, `-`). */
function idOf(fileName: string): string {
  const id = fileName
    .replace(/\.onnx$/i, '')
    .replace(/[^a-z0-9._-]+/gi, '-')
    .replace(/^[^a-z0-9]+/i, '')
    .slice(0, 128);
  return id || 'model';
}

async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * A dropped `.onnx` as a model the page can load: a manifest made here (served as a data: URL)
 * naming the file by an object URL with its size and SHA-256, so that webinfer verifies it and
 * keeps it in its cache under the file's name, versioned by its hash. The manifest declares no
 * inputs or outputs: the session reports them.
 */
export async function droppedModel(file: File): Promise<ModelSpec> {
  const bytes = await file.arrayBuffer();
  const sha256 = await sha256Hex(bytes);
  const id = idOf(file.name);
  const manifest = {
    format: 'webinfer/manifest@1',
    id,
    version: sha256.slice(0, 12),
    files: [{ url: URL.createObjectURL(file), role: 'model', bytes: bytes.byteLength, sha256 }],
    inputs: [],
    outputs: [],
  };
  return {
    key: `custom:${sha256}`,
    id,
    title: file.name,
    summary: `Your model: ${formatBytes(bytes.byteLength)}, SHA-256 ${sha256.slice(0, 16)}…, read on this device only.`,
    kind: 'custom',
    source: `data:application/json,${encodeURIComponent(JSON.stringify(manifest))}`,
    keepCurrent: false,
  };
}
