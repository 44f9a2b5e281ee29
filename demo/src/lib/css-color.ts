/** A custom property of the page's theme (styles/theme.css), for what canvas draws: canvas has no `prefers-color-scheme`. */
export function cssColor(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** Calls `listener` when the system's light or dark scheme changes. */
export function onColorSchemeChange(listener: () => void): void {
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', listener);
}
