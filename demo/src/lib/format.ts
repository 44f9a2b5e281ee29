/** How the page writes sizes, durations, rates and times. */

const units = ['B', 'KB', 'MB', 'GB', 'TB'];

/** `2.3 MB`: decimal units, as browsers and operating systems show download sizes. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** `0.42 ms`, `12.3 ms`, `1.24 s`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

/** A clock time, `14:03:27`. */
export function formatTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString(undefined, { hour12: false });
}

/** A date and time, shorter for today. */
export function formatWhen(epochMs: number): string {
  const date = new Date(epochMs);
  return date.toDateString() === new Date().toDateString() ? formatTime(epochMs) : date.toLocaleString();
}

/** `[1, 3, "height", 192]` for a tensor's dimensions; `?` when the model declares none. */
export function formatDims(dims: readonly (number | string)[] | null): string {
  return dims === null ? '?' : `[${dims.join(', ')}]`;
}

/** A message for an error of any kind: webinfer's named errors keep their name and code. */
export function formatError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    return `${error.name}${typeof code === 'string' ? ` (${code})` : ''}: ${error.message}`;
  }
  return String(error);
}
