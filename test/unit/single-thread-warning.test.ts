import { beforeEach, expect, test, vi } from 'vitest';

/** The warning's once-per-page state lives in its module: each test gets a fresh copy (a fresh page). */
let warnIfNotIsolated: typeof import('../../src/monitor/single-thread-warning.js').warnIfNotIsolated;
beforeEach(async () => {
  vi.resetModules();
  ({ warnIfNotIsolated } = await import('../../src/monitor/single-thread-warning.js'));
});

const notIsolated = {
  singleThread: 'not-isolated' as const,
  singleThreadReason: 'not cross-origin isolated: serve the page with Cross-Origin-Opener-Policy: same-origin and …',
};

test('RELIABILITY 29: a page without COOP/COEP is told once, however many models it loads', () => {
  const warn = vi.fn();
  for (let i = 0; i < 5; i++) warnIfNotIsolated(notIsolated, warn);
  expect(warn).toHaveBeenCalledTimes(1);
  expect(warn.mock.calls[0]?.[0]).toMatch(
    /^webinfer: wasm runs on one thread, not cross-origin isolated: serve the page with Cross-Origin-Opener-Policy/,
  );
});

test('a WebGPU session, or one with threads to spare, is no reason to warn', () => {
  const warn = vi.fn();
  expect(warnIfNotIsolated({ singleThread: 'webgpu', singleThreadReason: 'WebGPU sessions …' }, warn)).toBe(false);
  expect(warnIfNotIsolated({}, warn)).toBe(false);
  expect(warn).not.toHaveBeenCalled();
  // Still unsaid: the first not-isolated load warns.
  expect(warnIfNotIsolated(notIsolated, warn)).toBe(true);
});

test('by default it is the console’s warning, where developers look', () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  warnIfNotIsolated(notIsolated);
  expect(warn).toHaveBeenCalledTimes(1);
  warn.mockRestore();
});
