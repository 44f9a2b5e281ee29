/**
 * Typed events, as `rt.on('worker-restart', listener)` delivers them. A listener that throws is
 * reported as an uncaught error and does not stop the others, nor the code that emitted.
 */
export class Emitter<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<(event: never) => void>>();

  /** Calls `listener` with each event of `type`; returns the function that stops it. */
  on<K extends keyof Events>(type: K, listener: (event: Events[K]) => void): () => void {
    const set = this.#listeners.get(type) ?? new Set();
    set.add(listener as (event: never) => void);
    this.#listeners.set(type, set);
    return () => this.off(type, listener);
  }

  off<K extends keyof Events>(type: K, listener: (event: Events[K]) => void): void {
    this.#listeners.get(type)?.delete(listener as (event: never) => void);
  }

  emit<K extends keyof Events>(type: K, event: Events[K]): void {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) {
      try {
        (listener as (event: Events[K]) => void)(event);
      } catch (error) {
        reportError(error);
      }
    }
  }
}
