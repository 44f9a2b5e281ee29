const storageKey = 'webinfer:install-id';
let perPage: string | undefined;

/**
 * This install's id, for rollouts (see `artifacts/channels.ts`): a random UUID kept in the
 * origin's localStorage, so it is the same on every visit. It names no one, and never leaves the
 * device. Where localStorage is unavailable (a worker, storage blocked), one per page load.
 */
export function installId(): string {
  try {
    const storage = globalThis.localStorage;
    const stored = storage?.getItem(storageKey);
    if (stored) return stored;
    if (storage) {
      const made = crypto.randomUUID();
      storage.setItem(storageKey, made);
      return made;
    }
  } catch {
    // Storage blocked (privacy settings, an opaque origin): fall through.
  }
  perPage ??= crypto.randomUUID();
  return perPage;
}
