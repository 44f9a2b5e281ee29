/** Three significant digits at most, and no trailing zeros: 0.8504 → "0.85", 12.04 → "12", 123.4 → "123". */
function significant(value: number): string {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return String(Number(value.toFixed(digits)));
}

/**
 * A duration given in seconds, in the unit that reads best: µs under a millisecond, ms under a
 * second, s under a minute, then min and h. `—` for a missing figure.
 *
 * @example
 * formatDuration(0.000_85); // '850 µs'
 * formatDuration(0.0123); // '12.3 ms'
 * formatDuration(95); // '1 min 35 s'
 */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  if (seconds === 0) return '0';
  const sign = seconds < 0 ? '−' : '';
  const s = Math.abs(seconds);
  if (s < 1e-3) return `${sign}${significant(s * 1e6)} µs`;
  if (s < 1) return `${sign}${significant(s * 1e3)} ms`;
  if (s < 60) return `${sign}${significant(s)} s`;
  if (s < 3600) {
    const minutes = Math.floor(s / 60);
    const rest = Math.round(s - minutes * 60);
    return rest ? `${sign}${minutes} min ${rest} s` : `${sign}${minutes} min`;
  }
  return `${sign}${significant(s / 3600)} h`;
}
