import { afterEach, expect, test, vi } from 'vitest';
import { Deadlines } from '../../src/lib/deadlines.js';

afterEach(() => {
  vi.useRealTimers();
});

const fake = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });

test('each deadline expires when its time has passed, in any order of adding; one timer for all', () => {
  fake();
  const set = vi.spyOn(globalThis, 'setTimeout');
  const expired: string[] = [];
  const deadlines = new Deadlines();
  deadlines.add(300, () => expired.push('300'));
  deadlines.add(100, () => expired.push('100'));
  deadlines.add(200, () => expired.push('200'));
  vi.advanceTimersByTime(99);
  expect(expired).toEqual([]);
  vi.advanceTimersByTime(1);
  expect(expired).toEqual(['100']);
  vi.advanceTimersByTime(200);
  expect(expired).toEqual(['100', '200', '300']);
  // Armed for 300 ms, then for the earlier 100 ms, then for 200 and 300 as each came due.
  expect(set).toHaveBeenCalledTimes(4);
  expect(vi.getTimerCount()).toBe(0);
});

test('a cancelled deadline never expires; calls one after another arm no timer each', () => {
  fake();
  const set = vi.spyOn(globalThis, 'setTimeout');
  const expired: number[] = [];
  const deadlines = new Deadlines();
  for (let i = 0; i < 100; i++) {
    deadlines.add(1_000, () => expired.push(i)).cancel();
    vi.advanceTimersByTime(5);
  }
  expect(set).toHaveBeenCalledTimes(1);
  const last = deadlines.add(1_000, () => expired.push(100));
  vi.advanceTimersByTime(2_000);
  expect(expired).toEqual([100]);
  last.cancel(); // after it expired: nothing
  expect(vi.getTimerCount()).toBe(0);
});

test('an expiry may add a deadline or clear them all', () => {
  fake();
  const expired: string[] = [];
  const deadlines = new Deadlines();
  deadlines.add(10, () => {
    expired.push('first');
    deadlines.add(5, () => expired.push('added'));
  });
  deadlines.add(50, () => expired.push('later'));
  vi.advanceTimersByTime(15);
  expect(expired).toEqual(['first', 'added']);
  deadlines.add(20, () => deadlines.clear());
  vi.advanceTimersByTime(100);
  expect(expired).toEqual(['first', 'added']); // 'later' (due at 50) went with the clear at 35
  expect(vi.getTimerCount()).toBe(0);
});
