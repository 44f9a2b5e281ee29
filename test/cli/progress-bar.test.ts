import { describe, expect, test } from 'vitest';
import { createProgress, formatBar, formatBytes } from '../../src/cli/lib/progress.js';

/** A fake stderr that records writes, with a clock the test moves. */
function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 100, write: (text: string) => writes.push(text) } };
}

describe('the hashing progress bar', () => {
  test('formats sizes and the bar as people read them', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(40 * 1024 * 1024)).toBe('40.0 MiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.00 GiB');
    expect(formatBar('Hashing w.bin', 1024 ** 3, 4 * 1024 ** 3)).toBe(
      'Hashing w.bin [######..................]  25%  1.00 GiB / 4.00 GiB',
    );
    expect(formatBar('x'.repeat(200), 1, 2, 80)).toHaveLength(79);
  });

  test('on a terminal, redraws one line in place at most every 100 ms and ends it', () => {
    const { writes, stream } = fakeStream(true);
    let now = 0;
    const progress = createProgress('Hashing w.bin', 100, { stream, now: () => now });
    progress.update(10);
    now = 150;
    progress.update(50);
    progress.update(60);
    progress.finish();
    expect(writes).toEqual([
      `\r${formatBar('Hashing w.bin', 50, 100, 100)}\x1b[K`,
      `\r${formatBar('Hashing w.bin', 60, 100, 100)}\x1b[K`,
      '\n',
    ]);
  });

  test('in a log, prints whole lines: one at the start, then at most every 5 s, then the end', () => {
    const { writes, stream } = fakeStream(false);
    let now = 0;
    const progress = createProgress('Hashing w.bin', 2048, { stream, now: () => now });
    progress.update(100);
    now = 6_000;
    progress.update(1024);
    progress.finish();
    expect(writes).toEqual([
      'Hashing w.bin (2.00 KiB)...\n',
      'Hashing w.bin: [############............]  50%  1.00 KiB / 2.00 KiB\n',
      'Hashing w.bin: done, 1.00 KiB\n',
    ]);
    expect(writes.join('')).not.toContain('\r');
  });
});
