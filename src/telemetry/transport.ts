import type { Parcel } from './outbox.js';

/** What became of a parcel: taken, worth another try later, or refused for good. */
export type Outcome = 'delivered' | 'retry' | 'rejected';

/** A beacon's bound: an endpoint that does not answer within this is down for now. */
export const postTimeoutMs = 10_000;

/** Keepalive requests in flight share 64 KiB per page: a larger body goes without (OTLP can). */
const keepaliveBytes = 60 * 1024;
const encoder = new TextEncoder();

/**
 * Sends a parcel while the page lives, with `fetch(…, { keepalive: true })` so it survives a
 * navigation (when small enough), and reads the answer: 2xx is delivered; 408, 429, 5xx and network errors are
 * worth a retry; any other status means the endpoint refuses this batch, which is dropped.
 */
export async function post(parcel: Parcel, timeoutMs = postTimeoutMs): Promise<Outcome> {
  try {
    const response = await fetch(parcel.url, {
      method: 'POST',
      body: parcel.body,
      headers: { 'Content-Type': parcel.contentType },
      keepalive: encoder.encode(parcel.body).length <= keepaliveBytes,
      credentials: 'omit',
      signal: AbortSignal.timeout(timeoutMs),
    });
    void response.body?.cancel().catch(() => undefined);
    if (response.ok) return 'delivered';
    return response.status === 408 || response.status === 429 || response.status >= 500 ? 'retry' : 'rejected';
  } catch {
    return 'retry';
  }
}

/**
 * Hands a parcel to the browser as the page goes away, when no answer can be awaited:
 * `navigator.sendBeacon` for `text/plain` bodies (no preflight), else, or when it refuses
 * (returns false: over its budget), a keepalive `fetch`. Resolves to whether the browser took it;
 * `false` when the fetch fails while the page is still there to hear it.
 */
export async function handOver(parcel: Parcel): Promise<boolean> {
  const beacon = globalThis.navigator?.sendBeacon;
  if (beacon && parcel.contentType.startsWith('text/plain')) {
    try {
      if (beacon.call(globalThis.navigator, parcel.url, parcel.body)) return true;
    } catch {
      // Refused outright (a URL it will not beacon to): the fetch below may still take it.
    }
  }
  return (await post(parcel)) !== 'retry';
}
