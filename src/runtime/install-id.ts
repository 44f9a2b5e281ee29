const storageKey = 'webinfer:install-id';
let perPage: string | undefined;

/**
 * This install's id, for rollouts (see `artifacts/channels.ts`): a random UUID kept in the
 * origin's localStorage, so it is the same on every visit. It names no one, and never leaves the
 * device. Where localStorage is unavailable (a worker, storage blocked), one per page load.
 */
export function installId(): string {
  try {
    if (localStorage.getItem(storageKey) === null) localStorage.setItem(storageKey, crypto.randomUUID());
    const stored = localStorage.getItem(storageKey);
    if (stored) return stored;
  } catch {
    // No localStorage (a worker), or storage blocked (privacy settings, an opaque origin).
  }
  perPage ??= crypto.randomUUID();
  return perPage;
}
