import { transfer } from 'comlink';
import { nextTask } from '../lib/next-task.js';
import type { Wire } from '../lib/wire.js';
import type { Inputs } from '../types.js';
import type { RunCall, RunReply, RunRequest } from '../worker/api.js';
import type { WorkerRemote } from './worker-connection.js';

interface Waiting {
  readonly call: RunCall;
  readonly transferables: Transferable[];
  readonly settle: (outcome: Wire<RunReply>) => void;
  readonly fail: (error: unknown) => void;
}

/**
 * Sends the runs a page makes to one batching model within one task as one message, and gets
 * their outcomes back in one (P6): 32 concurrent single-row calls cost one `postMessage` each
 * way instead of 32, and reach the worker's batcher together, where 32 messages arrived spread
 * over a millisecond or more and a batch window could close on part of them. Each run keeps its
 * own timeout, cancellation and outcome. Its own chunk, loaded with a model that batches.
 */
export class RunCoalescer {
  readonly #waiting = new Map<WorkerRemote, Map<number, Waiting[]>>();

  run(
    remote: WorkerRemote,
    handle: number,
    inputs: Inputs,
    transferables: Transferable[],
    request: RunRequest,
  ): Promise<Wire<RunReply>> {
    return new Promise((settle, fail) => {
      let byHandle = this.#waiting.get(remote);
      if (!byHandle) {
        byHandle = new Map();
        this.#waiting.set(remote, byHandle);
        // After the current task: every call the page made in it, through its awaits, is in.
        void nextTask().then(() => this.#send(remote));
      }
      const list = byHandle.get(handle) ?? [];
      list.push({ call: { inputs, request }, transferables, settle, fail });
      byHandle.set(handle, list);
    });
  }

  #send(remote: WorkerRemote): void {
    const byHandle = this.#waiting.get(remote);
    this.#waiting.delete(remote);
    for (const [handle, list] of byHandle ?? []) {
      const calls = transfer(
        list.map((waiting) => waiting.call),
        list.flatMap((waiting) => waiting.transferables),
      );
      remote.runMany(handle, calls).then(
        (wire) => {
          for (const [i, waiting] of list.entries()) waiting.settle(wire.ok ? (wire.value[i] as Wire<RunReply>) : wire);
        },
        (error: unknown) => {
          for (const waiting of list) waiting.fail(error);
        },
      );
    }
  }
}
