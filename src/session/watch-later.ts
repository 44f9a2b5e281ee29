/**
 * Work a run leaves for after its reply: the model's monitors (P8). A run's reply goes to the
 * page first; what watches it runs in the task its `RequestQueue` spends between two runs
 * (`flush`), while the reply travels and the page reads it, so watching adds nothing to a
 * call's latency and costs no message of its own (a task per watched run was one more
 * `postMessage` per call). Measured in the worker after a `session.run` that has pushed their
 * state out of the CPU's caches, the monitors of a small model took 10–30 µs, 1–3 % of its
 * call. Watches run in the order they were left, and all of them before the next run starts,
 * so the monitors see the runs in order.
 */
export class WatchLater {
  readonly #pending: (() => void)[] = [];

  /** Keeps `watch` for the next `flush`. */
  add(watch: () => void): void {
    this.#pending.push(watch);
  }

  /** Runs every watch left so far, now, oldest first. */
  flush(): void {
    for (let watch = this.#pending.shift(); watch; watch = this.#pending.shift()) {
      try {
        watch();
      } catch (error) {
        // A monitor's bug must not fail the run that comes next; it is reported, not thrown.
        console.error('webinfer: a monitor failed', error);
      }
    }
  }
}
