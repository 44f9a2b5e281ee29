import type { LoadProgress, StageProgress } from '../types.js';

/** How far back the download rate looks: long enough to smooth bursts, short enough to follow changes. */
const windowMs = 3_000;
/** A rate from less time than this is noise. */
const minSpanMs = 250;

/**
 * Adds the download rate, the time left and whether bytes came from the cache to each report.
 * The rate counts network bytes only: the first `downloading` report of a file that resumes
 * from stored chunks jumps by those, and the meter starts after it.
 */
export function meterProgress(report: (progress: LoadProgress) => void): (progress: StageProgress) => void {
  let samples: { at: number; loaded: number }[] = [];
  let rate: number | null = null;
  return (progress) => {
    const now = performance.now();
    if (progress.stage === 'downloading') {
      const last = samples.at(-1);
      // A file done: the next one's first report restarts the window at its own offset.
      if (last && progress.loaded < last.loaded) samples = [];
      samples.push({ at: now, loaded: progress.loaded });
      while (samples.length > 2 && now - (samples[1]?.at ?? now) > windowMs) samples.shift();
      const first = samples[0];
      if (first && now - first.at >= minSpanMs) rate = ((progress.loaded - first.loaded) / (now - first.at)) * 1000;
    }
    const downloading = progress.stage === 'downloading';
    const etaMs =
      downloading && rate && progress.total !== null ? Math.max(0, ((progress.total - progress.loaded) / rate) * 1000) : null;
    report({ ...progress, bytesPerSecond: downloading ? rate : null, etaMs, fromCache: progress.stage === 'reading-cache' });
  };
}
