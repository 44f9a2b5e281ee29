import type { StageProgress } from '../types.js';

/**
 * Passes progress reports on at most once per `intervalMs`, except the first of each stage and
 * the one that completes it: a download calls back for every network read (thousands for a large
 * model), and each report crossing to the page costs the worker a message.
 */
export function throttleProgress<P extends StageProgress>(report: (progress: P) => void, intervalMs = 50): (progress: P) => void {
  let last: { stage: P['stage']; at: number } | undefined;
  return (progress) => {
    const now = performance.now();
    const completes = progress.total !== null && progress.loaded >= progress.total;
    if (last?.stage === progress.stage && !completes && now - last.at < intervalMs) return;
    last = { stage: progress.stage, at: now };
    report(progress);
  };
}
