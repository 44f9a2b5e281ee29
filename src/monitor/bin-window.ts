/**
 * The largest number of bins a reference may have: a bin index is kept in one byte per sample.
 * Past a few dozen bins the window's noise swamps any shift anyway (see `populationStabilityIndex`).
 */
export const maxBins = 256;

/**
 * The index of the bin `value` falls in, given the cut points between bins (ascending): bin 0
 * holds values under `edges[0]`, bin i values in [`edges[i − 1]`, `edges[i]`), the last bin
 * values from the last edge up. Values beyond the reference's extremes land in the outer bins.
 */
export function binIndex(edges: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (value < (edges[mid] as number)) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * The bin counts of one feature's last `capacity` samples: a ring of bin indices, so a new
 * sample pushes the oldest out in O(log bins) and the counts always describe the window.
 */
export class BinWindow {
  readonly #edges: Float64Array;
  readonly #ring: Uint8Array;
  readonly #counts: Uint32Array;
  #next = 0;
  #size = 0;

  constructor(edges: readonly number[], capacity: number) {
    if (edges.length + 1 > maxBins) throw new RangeError(`at most ${maxBins} bins, got ${edges.length + 1}`);
    this.#edges = Float64Array.from(edges);
    this.#ring = new Uint8Array(capacity);
    this.#counts = new Uint32Array(edges.length + 1);
  }

  /** How many samples the window holds at most. */
  get capacity(): number {
    return this.#ring.length;
  }

  /** How many samples the window holds now (up to its capacity). */
  get size(): number {
    return this.#size;
  }

  /** The number of samples in bin `bin` now. */
  count(bin: number): number {
    return this.#counts[bin] ?? 0;
  }

  push(value: number): void {
    const counts = this.#counts;
    const ring = this.#ring;
    const next = this.#next;
    const bin = binIndex(this.#edges, value);
    if (this.#size === ring.length) (counts[ring[next] as number] as number)--;
    else this.#size++;
    ring[next] = bin;
    (counts[bin] as number)++;
    this.#next = next + 1 === ring.length ? 0 : next + 1;
  }
}
