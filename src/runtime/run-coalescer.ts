import { transfer } from 'comlink';
import { nextTask } from '../lib/next-task.js';
import type { Wire } from '../lib/wire.js';
import { batchKey, rowsOf, splitOutputs, stackFeeds } from '../session/batch-feeds.js';
import type { Feeds, Inputs, ModelInfo, Tensors } from '../types.js';
import type { RunCall, RunReply, RunRequest } from '../worker/api.js';
import type { WorkerRemote } from './worker-connection.js';

interface Waiting {
  readonly call: RunCall;
  readonly transferables: Transferable[];
  readonly settle: (outcome: Wire<RunReply>) => void;
  readonly fail: (error: unknown) => void;
}

/**
 * Sends the runs a page makes to one batching model within one task together (P6). Where the
 * model takes tensors (no transforms) and the runs ask nothing of the queue (no deadline, one
 * priority), they are stacked here, up to `maxBatch` rows, into one request, and the outputs
 * split back: the worker sees what one request of all the rows would be. Otherwise they go as
 * one `runMany` message, each queued on its own in the worker. Either way one message each way
 * instead of one per run, where 32 messages arrived spread over a millisecond or more and a
 * batch window could close on part of them. Its own chunk, loaded with a model that batches.
 */
export class RunCoalescer {
  readonly #waiting = new Map<WorkerRemote, Map<number, Waiting[]>>();
  /** Rows a stacked request may hold: the model's `maxBatch`, or 0 where runs are never stacked. */
  readonly #stackRows: number;
  /** Queue ids of stacked requests: negative, so that no caller's `cancel` can name one. */
  #stackedIds = 0;

  /** Runs are stacked where the model takes tensors as they are (no transforms). */
  constructor(info: Pick<ModelInfo, 'batching' | 'transforms'>) {
    this.#stackRows = info.transforms ? 0 : (info.batching?.maxBatch ?? 0);
  }

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
      if (!this.#stackable(list)) {
        this.#sendEach(remote, handle, list);
        continue;
      }
      for (const group of this.#groups(list)) {
        if (group.length > 1) this.#sendStacked(remote, handle, group);
        else this.#sendEach(remote, handle, group);
      }
    }
  }

  /** Whether the runs may be stacked: tensors as they are, and nothing asked of the queue. */
  #stackable(list: readonly Waiting[]): boolean {
    const plain = ({ call: { request } }: Waiting) => request.deadline === undefined && request.priority === undefined;
    return this.#stackRows > 0 && list.length > 1 && list.every(plain);
  }

  /** The runs in groups of the same inputs' shapes, up to `maxBatch` rows each, in order. */
  #groups(list: readonly Waiting[]): Waiting[][] {
    const groups = new Map<string, Waiting[][]>();
    for (const waiting of list) {
      const feeds = waiting.call.inputs as Feeds;
      const open = groups.get(batchKey(feeds)) ?? [[]];
      groups.set(batchKey(feeds), open);
      let last = open.at(-1) as Waiting[];
      const rows = last.reduce((sum, w) => sum + rowsOf(w.call.inputs as Feeds), 0);
      if (last.length > 0 && rows + rowsOf(feeds) > this.#stackRows) {
        last = [];
        open.push(last);
      }
      last.push(waiting);
    }
    return [...groups.values()].flat();
  }

  #sendEach(remote: WorkerRemote, handle: number, list: Waiting[]): void {
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

  #sendStacked(remote: WorkerRemote, handle: number, group: Waiting[]): void {
    const feeds = stackFeeds(group.map((waiting) => waiting.call.inputs as Feeds));
    const rows = group.map((waiting) => rowsOf(waiting.call.inputs as Feeds));
    const buffers = Object.values(feeds).map((tensor) => (tensor.data as Float32Array).buffer as ArrayBuffer);
    remote.run(handle, transfer(feeds, buffers), { callId: --this.#stackedIds }).then(
      (wire) => {
        if (!wire.ok) {
          for (const waiting of group) waiting.settle(wire);
          return;
        }
        const { outputs, timings, anomalies, ...rest } = wire.value;
        const parts = splitOutputs(outputs as Tensors, rows);
        for (const [i, waiting] of group.entries()) {
          const value: RunReply = {
            ...rest,
            outputs: parts[i] as Tensors,
            // How many calls ran together; what the worker saw of the rows is said once, to the first.
            timings: { ...timings, batchSize: group.length },
            ...(i === 0 && anomalies ? { anomalies } : {}),
          };
          waiting.settle({ ok: true, value });
        }
      },
      (error: unknown) => {
        for (const waiting of group) waiting.fail(error);
      },
    );
  }
}
