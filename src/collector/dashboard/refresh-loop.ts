/** How often the page reads the collector again while not paused. */
export const refreshIntervalMs = 10_000;

export interface RefreshLoop {
  /** Refreshes now (a refresh in flight is aborted), then every interval unless paused. */
  now(): void;
  setPaused(paused: boolean): void;
  stop(): void;
}

/**
 * Calls `refresh` now and `intervalMs` after each one ends (a slow collector is never asked
 * twice at once), not while paused or while the tab is hidden: a dashboard left open in a
 * background tab costs the collector nothing, and is brought up to date when shown again.
 */
export function createRefreshLoop(
  refresh: (signal: AbortSignal) => Promise<void>,
  { intervalMs = refreshIntervalMs, paused: initiallyPaused = false }: { intervalMs?: number; paused?: boolean } = {},
): RefreshLoop {
  let paused = initiallyPaused;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: AbortController | undefined;

  const schedule = () => {
    clearTimeout(timer);
    timer = paused || document.hidden ? undefined : setTimeout(run, intervalMs);
  };

  async function run(): Promise<void> {
    clearTimeout(timer);
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    try {
      await refresh(controller.signal);
    } finally {
      // A newer refresh took over: it schedules the next one.
      if (inFlight === controller) {
        inFlight = undefined;
        schedule();
      }
    }
  }

  const onVisibility = () => {
    if (document.hidden) clearTimeout(timer);
    else if (!paused) void run();
  };
  document.addEventListener('visibilitychange', onVisibility);

  return {
    now: () => void run(),
    setPaused(next) {
      paused = next;
      if (paused) clearTimeout(timer);
      else void run();
    },
    stop() {
      paused = true;
      clearTimeout(timer);
      inFlight?.abort();
      document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
