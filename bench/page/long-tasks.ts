/** Collects main-thread long tasks (https://w3c.github.io/longtasks/) from now until `stop`. */
export function watchLongTasks(): () => Promise<{ startTime: number; duration: number }[]> {
  if (!PerformanceObserver.supportedEntryTypes.includes('longtask')) throw new Error('longtask entries are not supported');
  const since = performance.now();
  const seen: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => seen.push(...list.getEntries()));
  observer.observe({ type: 'longtask', buffered: true });
  return async () => {
    // An entry is queued after its task ends and delivered later; give it a few turns to arrive.
    await new Promise((resolve) => setTimeout(resolve, 100));
    seen.push(...observer.takeRecords());
    observer.disconnect();
    // `buffered` also replays the page's own start-up; keep only what overlaps the measured window.
    return seen
      .filter((entry) => entry.startTime + entry.duration >= since)
      .map((entry) => ({ startTime: entry.startTime - since, duration: entry.duration }));
  };
}
