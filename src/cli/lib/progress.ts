/**
 * A one-line progress bar on stderr for long jobs (hashing a multi-GB file). On a terminal it
 * redraws in place; when stderr is a pipe or a log it prints a plain line every few seconds
 * instead, so CI logs show the job is alive without filling up with carriage returns.
 */

/** Files below this hash in well under a second on any disk; a bar for them would only flicker. */
export const progressThresholdBytes = 32 * 1024 * 1024;

/** Terminal redraws at most this often: faster is invisible and costs time. */
const redrawMs = 100;
/** Plain lines at most this often when stderr is not a terminal. */
const logLineMs = 5_000;
const barWidth = 24;

export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface Progress {
  update(done: number): void;
  /** Draws the final state and ends the line. */
  finish(): void;
}

/** Sizes as people read them: `512 B`, `31.5 MiB`, `2.10 GiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** `label [#########...............]  37%  1.20 GiB / 3.24 GiB`, cut to `columns`. */
export function formatBar(label: string, done: number, total: number, columns = 80): string {
  const fraction = total > 0 ? Math.min(done / total, 1) : 1;
  const filled = Math.round(fraction * barWidth);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]`;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const line = `${label} ${bar} ${percent}  ${formatBytes(done)} / ${formatBytes(total)}`;
  return line.length > columns - 1 ? line.slice(0, columns - 1) : line;
}

export function createProgress(
  label: string,
  total: number,
  { stream = process.stderr, now = Date.now }: { stream?: ProgressStream; now?: () => number } = {},
): Progress {
  const tty = stream.isTTY === true;
  let last = now();
  let done = 0;
  if (!tty) stream.write(`${label} (${formatBytes(total)})...\n`);
  // A pseudo-terminal may report 0 columns. `ESC [ K` clears what a longer earlier line left.
  const columns = stream.columns && stream.columns > 0 ? stream.columns : 80;
  const draw = () => stream.write(`\r${formatBar(label, done, total, columns)}\x1b[K`);
  return {
    update(value) {
      done = value;
      const elapsed = now() - last;
      if (elapsed < (tty ? redrawMs : logLineMs)) return;
      last = now();
      if (tty) draw();
      else stream.write(`${label}: ${formatBar('', done, total).trim()}\n`);
    },
    finish() {
      if (tty) {
        draw();
        stream.write('\n');
      } else stream.write(`${label}: done, ${formatBytes(done)}\n`);
    },
  };
}
