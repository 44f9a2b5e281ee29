const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const hourMinute = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const day = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const dated = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** An instant as the wall clock reads it today (`14:02:05`), with its date on another day (`Mar 3, 14:02`). */
export function formatWhen(at: number, now: number = Date.now()): string {
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  return sameDay ? clock.format(at) : dated.format(at);
}

/** How long ago an instant was, coarsely: `just now`, `42 s ago`, `5 min ago`, `3 h ago`, `2 d ago`. */
export function formatAgo(at: number, now: number = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

/**
 * A time axis tick (epoch seconds, as uPlot has them), as precise as the ticks' spacing needs:
 * `14:05` between ticks under a day apart, with its date at midnight; `Mar 3` a day apart or more.
 */
export function formatTick(atSeconds: number, stepSeconds: number): string {
  const at = atSeconds * 1000;
  if (stepSeconds >= 86_400) return day.format(at);
  const date = new Date(at);
  return date.getHours() === 0 && date.getMinutes() === 0 ? day.format(at) : hourMinute.format(at);
}
