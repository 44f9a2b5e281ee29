/** RELIABILITY.md 4: `estimate()` may be missing or throw; the figures are then unknown. */
export async function storageEstimate(): Promise<{ usage: number; quota: number } | undefined> {
  const estimate = await globalThis.navigator?.storage?.estimate?.().catch(() => undefined);
  return estimate?.usage !== undefined && estimate.quota !== undefined
    ? { usage: estimate.usage, quota: estimate.quota }
    : undefined;
}
