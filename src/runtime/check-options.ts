import { defaultRetryPolicy, type RetryPolicy } from '../artifacts/retry-policy.js';
import { refuse } from '../errors.js';
import type { BatchingOptions } from '../session/batcher.js';
import type { Backend, CacheOptions, Priority } from '../types.js';

/** Checks of `createRuntime` options: each refuses a bad value with `invalid-options` naming it. */

export const knownBackends: readonly Backend[] = ['webgpu', 'wasm'];

/** Bounds of `cache.chunkBytes`: below, per-transaction costs dominate; above, Chromium's value ceiling. */
export const chunkBytesRange = { min: 64 * 1024, max: 128 * 1024 * 1024 } as const;

const cacheKeys = ['chunkBytes', 'memoryFallback', 'persist'];

export function checkCache(cache: boolean | CacheOptions): false | CacheOptions {
  if (cache === true) return {};
  if (cache === false) return false;
  if (typeof cache !== 'object' || cache === null)
    return refuse('cache', 'a boolean or { chunkBytes, memoryFallback, persist }', cache);
  const unknown = Object.keys(cache).find((key) => !cacheKeys.includes(key));
  if (unknown !== undefined) refuse(`cache.${unknown}`, `one of ${cacheKeys.join(', ')}`, unknown);
  const { chunkBytes, memoryFallback, persist } = cache;
  if (
    chunkBytes !== undefined &&
    !(Number.isInteger(chunkBytes) && chunkBytes >= chunkBytesRange.min && chunkBytes <= chunkBytesRange.max)
  ) {
    refuse('cache.chunkBytes', `an integer from ${chunkBytesRange.min} to ${chunkBytesRange.max}`, chunkBytes);
  }
  if (memoryFallback !== undefined && typeof memoryFallback !== 'boolean')
    refuse('cache.memoryFallback', 'a boolean', memoryFallback);
  if (persist !== undefined && typeof persist !== 'boolean') refuse('cache.persist', 'a boolean', persist);
  return { ...cache };
}

export function checkBackends(backends: readonly Backend[]): readonly Backend[] {
  if (!Array.isArray(backends) || backends.length === 0 || backends.some((b) => !knownBackends.includes(b))) {
    refuse('backends', `a non-empty list of ${knownBackends.join(' | ')}`, backends);
  }
  return [...backends];
}

export function checkThreads(threads: number): number {
  if (!Number.isInteger(threads) || threads < 1) refuse('threads', 'an integer >= 1', threads);
  return threads;
}

export function checkManifestKeys(keys: readonly string[]): readonly string[] {
  const bad = Array.isArray(keys) ? keys.find((key) => typeof key !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(key)) : keys;
  if (!Array.isArray(keys) || bad !== undefined) refuse('manifestKeys', 'Ed25519 public keys: 43 base64url characters', bad);
  return [...keys];
}

export function checkRetryPolicy(policy: Partial<RetryPolicy>): Partial<RetryPolicy> {
  for (const [key, value] of Object.entries(policy)) {
    if (!Object.hasOwn(defaultRetryPolicy, key)) refuse(`download.${key}`, Object.keys(defaultRetryPolicy).join(' | '), key);
    const attempts = key === 'attempts';
    if (attempts ? !(Number.isInteger(value) && value >= 1) : !(Number.isFinite(value) && value >= 0)) {
      refuse(`download.${key}`, attempts ? 'an integer >= 1' : 'a number >= 0', value);
    }
  }
  return { ...policy };
}

/** A timeout in ms: a positive number, or `Infinity` for none. */
export function checkTimeout(option: string, value: number): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) refuse(option, 'a number of ms > 0 (or Infinity)', value);
  return value;
}

/** `createRuntime({ supervisor })`: how the runtime watches, restarts and recycles its worker. */
export interface SupervisorSettings {
  /** Ms between pings of an idle worker; one unanswered as long means it hangs. */
  readonly heartbeatMs: number;
  /** Restarts allowed within `restartWindowMs` before the runtime gives up. */
  readonly maxRestarts: number;
  readonly restartWindowMs: number;
  /**
   * End the worker once its last model is disposed, so its wasm memory (which never shrinks)
   * goes back to the system; the next load starts a new one. Default true.
   */
  readonly recycleWhenIdle: boolean;
  /** With `recycleWhenIdle: false`: end it once it has no model and has created this many sessions. */
  readonly recycleAfterSessions: number;
}

const defaultSupervisor: SupervisorSettings = {
  heartbeatMs: 5_000,
  maxRestarts: 5,
  restartWindowMs: 60_000,
  recycleWhenIdle: true,
  recycleAfterSessions: Number.POSITIVE_INFINITY,
};

const supervisorChecks: Record<keyof SupervisorSettings, [expected: string, valid: (value: unknown) => boolean]> = {
  heartbeatMs: ['a number of ms > 0', (v) => Number.isFinite(v) && (v as number) > 0],
  maxRestarts: ['an integer >= 0', (v) => Number.isInteger(v) && (v as number) >= 0],
  restartWindowMs: ['a number of ms > 0', (v) => Number.isFinite(v) && (v as number) > 0],
  recycleWhenIdle: ['a boolean', (v) => typeof v === 'boolean'],
  recycleAfterSessions: [
    'an integer >= 1 or Infinity',
    (v) => v === Number.POSITIVE_INFINITY || (Number.isInteger(v) && (v as number) >= 1),
  ],
};

export function checkSupervisor(settings: Partial<SupervisorSettings>): SupervisorSettings {
  for (const [key, value] of Object.entries(settings)) {
    const check = Object.hasOwn(supervisorChecks, key) ? supervisorChecks[key as keyof SupervisorSettings] : undefined;
    if (!check?.[1](value))
      refuse(`supervisor.${key}`, check?.[0] ?? `one of ${Object.keys(supervisorChecks).join(', ')}`, value);
  }
  return { ...defaultSupervisor, ...settings };
}

const priorities: readonly Priority[] = ['high', 'normal', 'low'];

export function checkPriority(priority: Priority): Priority {
  if (!priorities.includes(priority)) refuse('priority', priorities.join(' | '), priority);
  return priority;
}

/** `rt.load(source, { batching: true })`: up to 32 rows per run, waiting at most 2 ms for them. */
export const defaultBatching = { maxBatch: 32, maxDelayMs: 2 } as const;

export function checkBatchingOption(batching: boolean | Partial<BatchingOptions>): BatchingOptions | undefined {
  if (batching === false) return undefined;
  if (batching === true) return { ...defaultBatching };
  if (typeof batching !== 'object' || batching === null)
    return refuse('batching', 'a boolean or { maxBatch, maxDelayMs }', batching);
  const unknown = Object.keys(batching).find((key) => !Object.hasOwn(defaultBatching, key));
  if (unknown !== undefined) refuse(`batching.${unknown}`, 'one of maxBatch, maxDelayMs', unknown);
  const { maxBatch = defaultBatching.maxBatch, maxDelayMs = defaultBatching.maxDelayMs } = batching;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) refuse('batching.maxBatch', 'an integer >= 1', maxBatch);
  if (!Number.isFinite(maxDelayMs) || maxDelayMs < 0) refuse('batching.maxDelayMs', 'a number of ms >= 0', maxDelayMs);
  return { maxBatch, maxDelayMs };
}

/** `rt.load(source, { variant })`: a name as manifests spell them (which ones exist, the manifest says). */
export function checkVariant(variant: string): string {
  return checkName('variant', variant);
}

/** A name a manifest or a channels document uses (a variant, a channel), or an install id. */
export function checkName(option: string, name: string): string {
  if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,63}$/i.test(name)) {
    refuse(option, 'a name of letters, digits, ".", "_" or "-", at most 64', name);
  }
  return name;
}

/** `createRuntime({ anomalies })`: the rate limit of `anomaly` events. */
export function checkAnomalies({ intervalMs }: { intervalMs?: number }): { intervalMs?: number } {
  if (intervalMs === undefined) return {};
  if (typeof intervalMs !== 'number' || !(intervalMs >= 0)) refuse('anomalies.intervalMs', 'a number of ms >= 0', intervalMs);
  return { intervalMs };
}
