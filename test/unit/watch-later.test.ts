import { expect, test, vi } from 'vitest';
import { WatchLater } from '../../src/session/watch-later.js';

/** The monitors' share of a run, left for after its reply: in order, and all before the next run. */
test('watches wait for flush, then run once each, in the order they were left', () => {
  const seen: number[] = [];
  const later = new WatchLater();
  later.add(() => seen.push(1));
  later.add(() => seen.push(2));
  expect(seen).toEqual([]); // the reply goes first
  later.flush();
  expect(seen).toEqual([1, 2]);
  later.add(() => seen.push(3));
  later.flush();
  later.flush();
  expect(seen).toEqual([1, 2, 3]);
});

test('a watch that throws is reported, and the ones after it still run', () => {
  const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const seen: string[] = [];
  const later = new WatchLater();
  later.add(() => {
    throw new Error('a monitor bug');
  });
  later.add(() => seen.push('after'));
  later.flush();
  expect(seen).toEqual(['after']);
  expect(errors).toHaveBeenCalledWith('webinfer: a monitor failed', expect.any(Error));
  errors.mockRestore();
});
