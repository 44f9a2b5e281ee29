import { afterEach, expect, test, vi } from 'vitest';
import { meterProgress } from '../../src/lib/meter-progress.js';
import type { LoadProgress, StageProgress } from '../../src/types.js';

afterEach(() => vi.restoreAllMocks());

function metered() {
  let now = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  const seen: LoadProgress[] = [];
  const report = meterProgress((p) => seen.push(p));
  const at = (ms: number, p: StageProgress) => {
    now = ms;
    report(p);
  };
  return { seen, at };
}

test('rate and time left come from the network bytes of the last seconds', () => {
  const { seen, at } = metered();
  at(0, { stage: 'downloading', loaded: 4_000_000, total: 10_000_000 }); // resumed from stored chunks
  at(100, { stage: 'downloading', loaded: 4_100_000, total: 10_000_000 });
  at(1_000, { stage: 'downloading', loaded: 5_000_000, total: 10_000_000 });
  expect(seen[0]).toMatchObject({ bytesPerSecond: null, etaMs: null, fromCache: false });
  expect(seen[1]?.bytesPerSecond).toBeNull(); // under a quarter second: noise
  expect(seen[2]?.bytesPerSecond).toBe(1_000_000);
  expect(seen[2]?.etaMs).toBe(5_000);
});

test('cache reads say so and have no rate; a slower link shows within the window', () => {
  const { seen, at } = metered();
  at(0, { stage: 'reading-cache', loaded: 1_000, total: 10_000_000 });
  expect(seen[0]).toMatchObject({ fromCache: true, bytesPerSecond: null, etaMs: null });
  for (let s = 0; s <= 10; s++) at(s * 1_000, { stage: 'downloading', loaded: 1_000 + s * 500_000, total: 10_000_000 });
  for (let s = 11; s <= 16; s++)
    at(s * 1_000, { stage: 'downloading', loaded: 5_001_000 + (s - 10) * 100_000, total: 10_000_000 });
  const rate = seen.at(-1)?.bytesPerSecond ?? 0;
  expect(rate).toBeGreaterThan(90_000);
  expect(rate).toBeLessThan(150_000);
});
