import { nextTask } from '../lib/next-task.js';

/**
 * Work a run leaves for after its reply: the model's monitors (P8). A run's reply goes to the
 * page first; what watches it runs in the next task, while the reply travels and the page reads
 * it, so watching adds nothing to a call's latency. Measured in the worker after a `session.run`
 * that has pushed their state out of the CPU's caches, the monitors of a small model took
 * 10–30 µs, 1–3 % of its call. Watches run in the order they were left, and all of them run
 * before the next run starts (`flush`), so a busy queue holds at most one run's watch per
 * request in flight, and the monitors see the runs in order.
 */
export class WatchLater {
  readonly #pending: (() => void)[] = [];
  #scheduled = false;

  /** Runs `watch` after the current task, or before the next run if one comes first. */
  add(watch: () => void): void {
    this.#pending.push(watch);
    if (this.#scheduled) return;
    this.#scheduled = true;
    void nextTask().then(() => {
      this.#scheduled = false;
      this.flush();
    });
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
