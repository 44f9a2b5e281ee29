import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/** Read size per chunk: large enough to keep the disk busy, small enough to never matter for memory. */
const chunkBytes = 4 * 1024 * 1024;

export interface FileDigest {
  readonly bytes: number;
  /** Lowercase hex. */
  readonly sha256: string;
}

export interface HashFileOptions {
  /** Called after each chunk with the bytes hashed so far and the file's size. */
  readonly onProgress?: (hashed: number, total: number) => void;
}

/**
 * SHA-256 and size of a file, read as a stream: external-data files run to many GB, past the
 * 2 GiB a single Node buffer can hold, so the file is never held in memory whole.
 */
export async function hashFile(file: string, { onProgress }: HashFileOptions = {}): Promise<FileDigest> {
  const { size } = await stat(file);
  const hash = createHash('sha256');
  let hashed = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: chunkBytes })) {
    hash.update(chunk as Buffer);
    hashed += (chunk as Buffer).length;
    onProgress?.(hashed, size);
  }
  return { bytes: hashed, sha256: hash.digest('hex') };
}
