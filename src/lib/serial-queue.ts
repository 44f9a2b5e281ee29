/**
 * Runs async tasks one at a time, in call order. WebGPU sessions need it: concurrent
 * `session.run` calls on one WebGPU session were seen never to complete (DESIGN.md, test rig).
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every task queued before it has settled. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task, task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
