import { type Remote, releaseProxy, wrap } from 'comlink';
import { StateError, WorkerError } from '../errors.js';
import { unwire, type Wire, type WireApi } from '../lib/wire.js';
import type { WorkerApi } from '../worker/api.js';

/**
 * The page's link to one worker: typed calls through Comlink, with every pending call rejected
 * when the worker fails to start or the connection is closed, so no promise is left hanging.
 */
export class WorkerConnection {
  readonly #worker: Worker;
  readonly #remote: Remote<WireApi<WorkerApi>>;
  readonly #pending = new Set<(error: Error) => void>();
  #failure: Error | undefined;

  constructor(worker: Worker) {
    this.#worker = worker;
    this.#remote = wrap<WireApi<WorkerApi>>(worker);
    // A module worker that fails to load or throws at top level reports only an `error` event.
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      const message =
        event instanceof ErrorEvent && event.message ? event.message : 'the worker script failed to load or crashed';
      this.#fail(new WorkerError('worker-failed', `webinfer's worker failed: ${message}`));
    });
    worker.addEventListener('messageerror', () => {
      this.#fail(new WorkerError('worker-failed', "webinfer's worker sent a message that could not be deserialized"));
    });
  }

  /** Calls one worker method; rejects with the worker's error, class and code intact. */
  call<T>(invoke: (remote: Remote<WireApi<WorkerApi>>) => Promise<Wire<T>>): Promise<T> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise<T>((resolve, reject) => {
      this.#pending.add(reject);
      invoke(this.#remote)
        .then((wire) => resolve(unwire(wire)))
        .catch((error: unknown) =>
          reject(
            error instanceof Error && 'code' in error
              ? error
              : new WorkerError('worker-failed', `Could not reach webinfer's worker: ${String(error)}`, { cause: error }),
          ),
        )
        .finally(() => this.#pending.delete(reject));
    });
  }

  /** Ends the worker; calls still pending reject with `runtime-closed`. */
  close(): void {
    this.#fail(new StateError('runtime-closed', 'The runtime was closed'));
    this.#remote[releaseProxy]();
    this.#worker.terminate();
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const reject of this.#pending) reject(error);
    this.#pending.clear();
  }
}
