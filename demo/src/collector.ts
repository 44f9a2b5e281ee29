/** How long the page waits for the collector's health check before going on without telemetry. */
const healthTimeoutMs = 3_000;

/**
 * Whether webinfer's collector serves this origin (as under `npm start`): its `/healthz` answers
 * `{ "ok": true }`. On a plain static host, or offline, it does not, and the demo runs without
 * telemetry or a dashboard link.
 */
export async function detectCollector(): Promise<boolean> {
  try {
    const response = await fetch(new URL('/healthz', location.href), {
      cache: 'no-store',
      signal: AbortSignal.timeout(healthTimeoutMs),
    });
    if (!response.ok) return false;
    const body: unknown = await response.json();
    return typeof body === 'object' && body !== null && (body as { ok?: unknown }).ok === true;
  } catch {
    return false;
  }
}
