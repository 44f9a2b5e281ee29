/** Calls `onStall` once no `feed()` has come for `ms`: a download that stopped receiving bytes. */
export class StallWatchdog {
  readonly #ms: number;
  readonly #onStall: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(ms: number, onStall: () => void) {
    this.#ms = ms;
    this.#onStall = onStall;
    this.feed();
  }

  /** Progress seen: the clock starts again. */
  feed(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(this.#onStall, this.#ms);
  }

  stop(): void {
    clearTimeout(this.#timer);
  }
}
