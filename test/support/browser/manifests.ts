/** Manifests made inside a test: served from a data: URL, so their file URLs must be absolute. */

/** A data: URL serving `manifest` as JSON. */
export function manifestDataUrl(manifest: unknown): string {
  return `data:application/json,${encodeURIComponent(JSON.stringify(manifest))}`;
}

/** A fixture's size and lowercase hex SHA-256, as a manifest names them. */
export async function describeFile(url: string): Promise<{ bytes: number; sha256: string }> {
  const bytes = await (await fetch(url)).arrayBuffer();
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return { bytes: bytes.byteLength, sha256: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('') };
}

/** A one-file manifest for the model at `fileUrl`. */
export function singleFileManifest(id: string, version: string, fileUrl: string, file: { bytes: number; sha256: string }) {
  return {
    format: 'webinfer/manifest@1',
    id,
    version,
    files: [{ url: fileUrl, role: 'model', ...file }],
    inputs: [],
    outputs: [],
  };
}
