/** A parsed `Content-Range: bytes start-end/total` header (RFC 9110 §14.4). */
export interface ContentRange {
  readonly start: number;
  readonly end: number;
  /** null when the server wrote `*`. */
  readonly total: number | null;
}

/** Parses a byte Content-Range; undefined when absent or malformed. */
export function parseContentRange(value: string | null): ContentRange | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value?.trim() ?? '');
  if (!match) return undefined;
  const [, start, end, total] = match as unknown as [string, string, string, string];
  const range = { start: Number(start), end: Number(end), total: total === '*' ? null : Number(total) };
  return range.end < range.start || (range.total !== null && range.end >= range.total) ? undefined : range;
}
