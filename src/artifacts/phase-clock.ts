/** Splits a load's time into phases: each `lap` adds the time since the last one to a phase. */
export class PhaseClock {
  readonly timings = { manifestMs: 0, cacheReadMs: 0, downloadMs: 0 };
  #last = performance.now();

  lap(phase: keyof PhaseClock['timings']): void {
    const now = performance.now();
    this.timings[phase] += now - this.#last;
    this.#last = now;
  }
}
