import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The URL of `file` relative to the folder `fromDir` (where the manifest lives), each segment
 * percent-encoded so that spaces, `#` or `%` in file names survive `new URL(url, manifestUrl)`.
 */
export function relativeUrl(file: string, fromDir: string): string {
  const path = relative(fromDir, file);
  // On Windows a file on another drive has no relative path: name it absolutely.
  if (isAbsolute(path)) return pathToFileURL(file).href;
  return path.split(sep).map(encodeURIComponent).join('/');
}
