import { expect, test } from 'vitest';
import { parseContentRange } from '../../src/artifacts/content-range.js';
import { defaultRetryPolicy, isRetryableStatus, parseRetryAfter, retryDelay } from '../../src/artifacts/retry-policy.js';

const policy = { ...defaultRetryPolicy, baseDelayMs: 100, maxDelayMs: 1_000 };

test('backoff doubles from the base up to the cap, with full jitter below it', () => {
  expect([1, 2, 3, 4, 5, 9].map((attempt) => retryDelay(attempt, policy, undefined, () => 1))).toEqual([
    100, 200, 400, 800, 1_000, 1_000,
  ]);
  expect(retryDelay(3, policy, undefined, () => 0)).toBe(0);
  expect(retryDelay(3, policy, undefined, () => 0.5)).toBe(200);
});

test("the server's Retry-After wins, within the cap", () => {
  expect(retryDelay(1, policy, 300)).toBe(300);
  expect(retryDelay(1, policy, 60_000)).toBe(1_000);
  expect(parseRetryAfter('2')).toBe(2_000);
  expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
  expect(parseRetryAfter('soon')).toBeUndefined();
  expect(parseRetryAfter(null)).toBeUndefined();
});

test('timeouts, rate limits and server errors are retried; client errors are not', () => {
  expect([408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
  expect([400, 401, 403, 404, 410, 416].some(isRetryableStatus)).toBe(false);
});

test('Content-Range is parsed strictly', () => {
  expect(parseContentRange('bytes 100-199/1000')).toEqual({ start: 100, end: 199, total: 1000 });
  expect(parseContentRange('bytes 100-199/*')).toEqual({ start: 100, end: 199, total: null });
  for (const bad of [null, '', 'bytes */1000', 'bytes 200-100/1000', 'bytes 0-1000/1000', 'items 0-1/2']) {
    expect(parseContentRange(bad)).toBeUndefined();
  }
});
