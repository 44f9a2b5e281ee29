const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** A count with thousands separators: `12,345`. */
export function formatCount(value: number): string {
  return grouped.format(value);
}

/** A count as it fits a tile or an axis: `950`, `12.3K`, `4.5M`. */
export function formatCompact(value: number): string {
  return compact.format(value);
}

/**
 * A fraction as a percentage, with the precision small shares need: `0 %`, `<0.1 %`, `2.4 %`, `100 %`.
 *
 * @example
 * formatPercent(errors / runs);
 */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '—';
  if (fraction === 0) return '0 %';
  if (fraction < 0.001) return '<0.1 %';
  const percent = fraction * 100;
  return `${percent >= 10 ? Math.round(percent) : Number(percent.toFixed(1))} %`;
}
