import { transfer } from 'comlink';
import { nextTask } from '../lib/next-task.js';
import { unwire, type Wire } from '../lib/wire.js';
import { batchKey, rowsOf, splitOutputs } from '../session/batch-feeds.js';
import type { Feeds, Inputs, ModelInfo, Tensors } from '../types.js';
import type { RunCall, RunReply, RunRequest } from '../worker/api.js';
import type { Supervisor } from './supervisor.js';
import type { WorkerRemote } from './worker-connection.js';

interface Waiting {
  readonly call: RunCall;
  readonly transferables: Transferable[];
  readonly timeoutMs: number;
  readonly settle: (reply: RunReply) => void;
  readonly fail: (error: unknown) => void;
}

/**
 * Sends the runs a page makes to one batching model within one task together (P6): one worker
 * call for them, with one message each way, one timeout and one entry among the calls pending,
 * instead of one of each per run. Where the model takes tensors (no transforms) and the runs ask
 * nothing of the queue (no deadline, one priority), they go, up to `maxBatch` rows, as one
 * request the worker stacks (into memory it uses again), and the outputs are split back here as
 * views on the reply's buffer: the worker sees what one request of all the rows would be, and no
 * fresh memory is touched. Otherwise they go as one `runMany`, each queued on its own in the
 * worker. Its own chunk, loaded with a model that batches.
 */
export class RunCoalescer {
  readonly #supervisor: Supervisor;
  readonly #key: number;
  /** Rows a stacked request may hold: the model's `maxBatch`, or 0 where runs are never stacked. */
  readonly #stackRows: number;
  /** Runs made in the current task, sent after it; undefined when none is waiting. */
  #waiting: Waiting[] | undefined;
  /** Queue ids of stacked requests: negative, so that no caller's `cancel` can name one. */
  #stackedIds = 0;

  /** For the model `key` of `supervisor`; its runs are stacked where it takes tensors as they are. */
  constructor(supervisor: Supervisor, key: number, info: Pick<ModelInfo, 'batching' | 'transforms'>) {
    this.#supervisor = supervisor;
    this.#key = key;
    this.#stackRows = info.transforms ? 0 : (info.batching?.maxBatch ?? 0);
  }

  /** Resolves to the run's reply; rejects as the worker call it went in did, or as it did alone. */
  run(inputs: Inputs, transferables: Transferable[], request: RunRequest, timeoutMs: number): Promise<RunReply> {
    return new Promise((settle, fail) => {
      if (!this.#waiting) {
        this.#waiting = [];
        // After the current task: every call the page made in it, through its awaits, is in.
        void nextTask().then(() => this.#send());
      }
      this.#waiting.push({ call: { inputs, request }, transferables, timeoutMs, settle, fail });
    });
  }

  #send(): void {
    const list = this.#waiting ?? [];
    this.#waiting = undefined;
    if (!this.#stackable(list)) {
      this.#sendEach(list);
      return;
    }
    for (const group of this.#groups(list)) {
      if (group.length > 1) this.#sendStacked(group);
      else this.#sendEach(group);
    }
  }

  /** Whether the runs may be stacked: tensors as they are, nothing asked of the queue, all watched. */
  #stackable(list: readonly Waiting[]): boolean {
    const plain = ({ call: { request } }: Waiting) =>
      request.deadline === undefined && request.priority === undefined && request.monitor === undefined;
    return this.#stackRows > 0 && list.length > 1 && list.every(plain);
  }

  /** The runs in groups of the same inputs' shapes, up to `maxBatch` rows each, in order. */
  #groups(list: readonly Waiting[]): Waiting[][] {
    const open = new Map<string, { runs: Waiting[]; rows: number }>();
    const groups: Waiting[][] = [];
    for (const waiting of list) {
      const feeds = waiting.call.inputs as Feeds;
      const key = batchKey(feeds);
      const rows = rowsOf(feeds);
      let group = open.get(key);
      if (!group || (group.runs.length > 0 && group.rows + rows > this.#stackRows)) {
        group = { runs: [], rows: 0 };
        open.set(key, group);
        groups.push(group.runs);
      }
      group.runs.push(waiting);
      group.rows += rows;
    }
    return groups;
  }

  /**
   * One worker call for the runs of `list`, under the shortest of their timeouts; `deliver` hands
   * each its outcome. A failure, of the call or of `deliver`, fails the runs not yet settled.
   */
  #call<T>(
    list: readonly Waiting[],
    invoke: (remote: WorkerRemote, handle: number) => Promise<Wire<T>>,
    deliver: (value: T) => void,
  ): void {
    const timeoutMs = Math.min(...list.map((waiting) => waiting.timeoutMs));
    this.#supervisor
      .callModel(this.#key, invoke, { timeoutMs })
      .then(deliver)
      .catch((error: unknown) => {
        for (const waiting of list) waiting.fail(error);
      });
  }

  #sendEach(list: Waiting[]): void {
    const calls = transfer(
      list.map((waiting) => waiting.call),
      list.flatMap((waiting) => waiting.transferables),
    );
    this.#call(
      list,
      (remote, handle) => remote.runMany(handle, calls),
      (wires) => {
        for (const [i, waiting] of list.entries()) {
          try {
            waiting.settle(unwire(wires[i] as Wire<RunReply>));
          } catch (error) {
            waiting.fail(error);
          }
        }
      },
    );
  }

  #sendStacked(group: Waiting[]): void {
    const parts = group.map((waiting) => waiting.call.inputs as Feeds);
    const stacked = transfer(
      parts,
      group.flatMap((waiting) => waiting.transferables),
    );
    const request = { callId: --this.#stackedIds };
    this.#call(
      group,
      (remote, handle) => remote.runStacked(handle, stacked, request),
      ({ outputs, timings, anomalies, ...rest }) => {
        // Views on the reply's buffer: each caller's rows without a copy (see `RunResult`).
        const split = splitOutputs(outputs as Tensors, parts.map(rowsOf), { views: true });
        for (const [i, waiting] of group.entries()) {
          waiting.settle({
            ...rest,
            outputs: split[i] as Tensors,
            // How many calls ran together; what the worker saw of the rows is said once, to the first.
            timings: { ...timings, batchSize: group.length },
            ...(i === 0 && anomalies ? { anomalies } : {}),
          });
        }
      },
    );
  }
}
