import { ModelError } from '../errors.js';
import type { BackendAttempt, CanaryInfo } from '../types.js';
import { type Canary, checkCanary, runCanary } from './canary.js';
import { type ChosenSession, createSession, type SessionOptions } from './create-session.js';
import { describeValues, fromOrtOutputs, toOrtFeeds } from './tensors.js';

export type { ChosenSession };

/**
 * `createSession`, then the manifest's canary on the backend it landed on: a backend whose
 * outputs differ from the golden ones (a GPU driver bug, a broken float16 path) is released and
 * passed over for the next, as if its session had failed, and `canary.failed` says why. With
 * no backend left that passes, the load fails with `canary-failed`: the model itself is wrong.
 */
export async function createCheckedSession(
  model: Uint8Array,
  canary: Canary | undefined,
  options: SessionOptions,
): Promise<ChosenSession & { readonly canary?: CanaryInfo; readonly warmupMs?: number }> {
  if (!canary?.length) return createSession(model, options);
  const failed: { backend: ChosenSession['backend']; reason: string }[] = [];
  let backends = options.backends;
  for (;;) {
    const chosen = await createSession(model, { ...options, backends });
    const inputs = describeValues(chosen.session.inputMetadata);
    const outputs = describeValues(chosen.session.outputMetadata);
    let failure: string | undefined;
    const started = performance.now();
    try {
      checkCanary(canary, inputs, outputs);
      failure = await runCanary(canary, async (feeds) => fromOrtOutputs(await chosen.session.run(toOrtFeeds(chosen.ort, feeds))));
    } catch (error) {
      await chosen.session.release();
      throw error;
    }
    if (!failure) {
      const attempts: BackendAttempt[] = [...failed.map((f) => ({ ...f, ok: false })), ...chosen.attempts];
      const fallbackReason = attempts
        .filter((a) => !a.ok)
        .map((a) => `${a.backend}: ${a.reason}`)
        .join('; ');
      return {
        ...chosen,
        attempts,
        ...(fallbackReason ? { fallbackReason } : {}),
        canary: { cases: canary.length, passedOn: chosen.backend, failed },
        warmupMs: performance.now() - started,
      };
    }
    await chosen.session.release();
    failed.push({ backend: chosen.backend, reason: failure });
    backends = backends.slice(backends.indexOf(chosen.backend) + 1);
    if (backends.length === 0) {
      throw new ModelError(
        'canary-failed',
        `The model failed its canary on every backend (${failed.map((f) => `${f.backend}: ${f.reason}`).join('; ')})`,
        {
          details: { failed: failed.map((f) => ({ ...f })), expected: 'outputs within the canary tolerance' },
        },
      );
    }
  }
}
