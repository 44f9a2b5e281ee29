/**
 * The largest number of bins a reference may have: a bin index is kept in one byte per sample.
 * Past a few dozen bins the window's noise swamps any shift anyway (see `populationStabilityIndex`).
 */
export const maxBins = 256;

/**
 * The index of the bin `value` falls in, given the cut points between bins (ascending): bin 0
 * holds values under `edges[0]`, bin i values in [`edges[i − 1]`, `edges[i]`), the last bin
 * values from the last edge up. Values beyond the reference's extremes land in the outer bins.
 * `start` and `end`: the edges are `edges[start]` to `edges[end − 1]` (one feature's among many).
 */
export function binIndex(edges: ArrayLike<number>, value: number, start = 0, end = edges.length): number {
  let low = start;
  let high = end;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (value < (edges[mid] as number)) high = mid;
    else low = mid + 1;
  }
  return low - start;
}

/**
 * The bin counts of the last `capacity` samples of each of a tensor's features, side by side in
 * a few typed arrays (a feature's own window objects, 256 of them for a 256-column tensor, cost
 * a cache line each per sample): a ring of bin indices whose slot `s` holds every feature's
 * sample `s` next to each other, so a new sample pushes the oldest out in O(log bins) and the
 * counts always describe the window. `ln k` for 0 ≤ k ≤ capacity is kept once for all, for PSI.
 */
export class BinWindows {
  readonly capacity: number;
  /** Every feature's edges, one after another: feature f's from `#edgeStart[f]` to `#edgeStart[f + 1]`. */
  readonly #edges: Float64Array;
  readonly #edgeStart: Int32Array;
  readonly #counts: Uint32Array;
  readonly #ring: Uint8Array;
  readonly #next: Int32Array;
  readonly #size: Int32Array;
  readonly #features: number;
  /** ln(k) for k samples in a bin, 0 ≤ k ≤ capacity. */
  readonly logCount: Float64Array;

  constructor(edges: readonly (readonly number[])[], capacity: number) {
    const widest = Math.max(0, ...edges.map((e) => e.length));
    if (widest + 1 > maxBins) throw new RangeError(`at most ${maxBins} bins, got ${widest + 1}`);
    this.capacity = capacity;
    this.#features = edges.length;
    this.#edges = Float64Array.from(edges.flat());
    this.#edgeStart = new Int32Array(edges.length + 1);
    edges.forEach((e, f) => {
      this.#edgeStart[f + 1] = (this.#edgeStart[f] as number) + e.length;
    });
    // Feature f's bins are counts[binStart(f) .. binStart(f) + edges + 1): its edges' start plus f.
    this.#counts = new Uint32Array(this.#edges.length + edges.length);
    this.#ring = new Uint8Array(capacity * edges.length);
    this.#next = new Int32Array(edges.length);
    this.#size = new Int32Array(edges.length);
    this.logCount = Float64Array.from({ length: capacity + 1 }, (_, k) => Math.log(k));
  }

  /** How many samples feature `f`'s window holds now (up to the capacity). */
  size(f: number): number {
    return this.#size[f] as number;
  }

  /** Every feature's bin counts, feature f's bin b at `binStart(f) + b`. */
  get counts(): Uint32Array {
    return this.#counts;
  }

  /** Where feature `f`'s bins start in `counts`. */
  binStart(f: number): number {
    return (this.#edgeStart[f] as number) + f;
  }

  /** A sample of feature `f`. */
  push(f: number, value: number): void {
    this.#push(f, value, this.#edges, this.#edgeStart, this.#counts, this.#ring);
  }

  /**
   * A row's samples of every feature, feature f's at `values[start + f]`; values that are not
   * finite are skipped. One call for all of a row: a 256-feature tensor pushes per run.
   */
  pushRow(values: ArrayLike<number>, start: number): void {
    const edges = this.#edges;
    const edgeStart = this.#edgeStart;
    const counts = this.#counts;
    const ring = this.#ring;
    for (let f = 0; f < this.#features; f++) {
      const value = values[start + f] as number;
      if (value - value === 0) this.#push(f, value, edges, edgeStart, counts, ring); // not NaN nor ±∞
    }
  }

  /** `push`, with the arrays in hand. */
  #push(f: number, value: number, edges: Float64Array, edgeStart: Int32Array, counts: Uint32Array, ring: Uint8Array): void {
    const first = edgeStart[f] as number;
    const bin = binIndex(edges, value, first, edgeStart[f + 1] as number);
    const base = first + f; // feature f's bin 0 in counts
    const next = this.#next[f] as number;
    const slot = next * this.#features + f;
    if (this.#size[f] === this.capacity) (counts[base + (ring[slot] as number)] as number)--;
    else (this.#size[f] as number)++;
    ring[slot] = bin;
    (counts[base + bin] as number)++;
    this.#next[f] = next + 1 === this.capacity ? 0 : next + 1;
  }
}
