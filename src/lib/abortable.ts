import { AbortError } from '../errors.js';

/** Throws an `AbortError` when `signal` has already fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw toAbortError(signal);
}

/** The `AbortError` for a fired signal, keeping the caller's reason as its cause. */
export function toAbortError(signal: AbortSignal): AbortError {
  const reason: unknown = signal.reason;
  const message =
    reason instanceof Error && reason.name !== 'AbortError' ? `Aborted: ${reason.message}` : 'The operation was aborted';
  return new AbortError(message, { cause: reason });
}

/**
 * Settles like `promise`, or rejects with an `AbortError` as soon as `signal` fires. `onAbort`
 * runs once when the signal wins, to tell the worker to stop.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort?: () => void): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(toAbortError(signal));
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort?.();
      reject(toAbortError(signal));
    };
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
