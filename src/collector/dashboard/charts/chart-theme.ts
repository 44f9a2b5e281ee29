/** The colours and font the charts draw with, read from the page's CSS custom properties (styles/theme.css). */
export interface ChartTheme {
  readonly axis: string;
  readonly grid: string;
  readonly font: string;
  readonly p50: string;
  readonly p95: string;
  readonly p99: string;
  readonly calls: string;
  readonly errors: string;
}

/**
 * The theme the page's CSS sets now: canvas has no `prefers-color-scheme`, so the charts take
 * their colours from the stylesheet and are redrawn when the scheme changes.
 */
export function readChartTheme(root: HTMLElement = document.documentElement): ChartTheme {
  const style = getComputedStyle(root);
  const read = (name: string) => style.getPropertyValue(name).trim();
  return {
    axis: read('--text-muted'),
    grid: read('--chart-grid'),
    font: `11px ${read('--font-sans') || 'system-ui, sans-serif'}`,
    p50: read('--chart-p50'),
    p95: read('--chart-p95'),
    p99: read('--chart-p99'),
    calls: read('--chart-calls'),
    errors: read('--chart-errors'),
  };
}

/** Calls `listener` when the operating system's light or dark scheme changes; returns the unsubscribe. */
export function onColorSchemeChange(listener: () => void): () => void {
  const query = matchMedia('(prefers-color-scheme: dark)');
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}
