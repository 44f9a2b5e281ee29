/**
 * Runs `task` holding the Web Lock `name`, so that only one agent of this origin (tab, worker)
 * runs it at a time; the others wait, then run it themselves, by when the first has finished.
 * Where the Web Locks API is missing, runs `task` at once.
 */
export async function withLock<T>(name: string, signal: AbortSignal | undefined, task: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as { locks?: LockManager } | undefined)?.locks;
  if (!locks) return task();
  return locks.request(name, signal ? { signal } : {}, task) as Promise<T>;
}
