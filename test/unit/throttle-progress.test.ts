import { expect, test, vi } from 'vitest';
import { throttleProgress } from '../../src/lib/throttle-progress.js';
import type { StageProgress } from '../../src/types.js';

test('reports pass at most once per interval, except a new stage and the one that completes it', () => {
  let now = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  const seen: StageProgress[] = [];
  const report = throttleProgress((p) => seen.push(p), 50);
  const at = (ms: number, progress: StageProgress) => {
    now = ms;
    report(progress);
  };
  at(0, { stage: 'downloading', loaded: 10, total: 100 });
  at(10, { stage: 'downloading', loaded: 20, total: 100 }); // dropped
  at(60, { stage: 'downloading', loaded: 30, total: 100 });
  at(70, { stage: 'downloading', loaded: 100, total: 100 }); // completes the stage
  at(71, { stage: 'creating-session', loaded: 100, total: 100 });
  at(72, { stage: 'ready', loaded: 100, total: 100 });
  expect(seen.map((p) => [p.stage, p.loaded])).toEqual([
    ['downloading', 10],
    ['downloading', 30],
    ['downloading', 100],
    ['creating-session', 100],
    ['ready', 100],
  ]);
  vi.restoreAllMocks();
});
