/**
 * Counters and histograms in the Prometheus text exposition format (version 0.0.4), kept from
 * what beacons carry. Written here rather than with prom-client: its histograms take one
 * observation at a time, while a beacon brings bucket counts and exact sums already, which are
 * added as they are. Every metric holds at most `maxSeries` label sets: label values come from
 * the open internet (model names), and memory must stay bounded; what is turned away is counted
 * in `webinfer_series_dropped_total`.
 */
export const maxSeries = 10_000;

type Labels = Readonly<Record<string, string>>;

interface Series {
  readonly labels: Labels;
  value: number;
  /** Histograms: cumulative-ready counts per bucket (the last is +Inf), and the sum. */
  buckets?: number[];
  sum?: number;
}

abstract class Metric {
  readonly series = new Map<string, Series>();
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly onDropped: () => void;

  constructor(name: string, help: string, type: 'counter' | 'histogram', onDropped: () => void) {
    this.name = name;
    this.help = help;
    this.type = type;
    this.onDropped = onDropped;
  }

  protected of(labels: Labels): Series | undefined {
    // Label names are fixed per call site, so the values in order identify the series.
    let key = '';
    for (const value of Object.values(labels)) key += `${value}\u0001`;
    let series = this.series.get(key);
    if (!series) {
      if (this.series.size >= maxSeries) {
        this.onDropped();
        return undefined;
      }
      series = { labels, value: 0 };
      this.series.set(key, series);
    }
    return series;
  }

  abstract lines(): string[];
}

export class Counter extends Metric {
  constructor(name: string, help: string, onDropped: () => void) {
    super(name, help, 'counter', onDropped);
  }

  inc(labels: Labels = {}, by = 1): void {
    if (by <= 0) return;
    const series = this.of(labels);
    if (series) series.value += by;
  }

  lines(): string[] {
    return [...this.series.values()].map((s) => `${this.name}${format(s.labels)} ${s.value}`);
  }
}

export class Histogram extends Metric {
  readonly bounds: readonly number[];

  constructor(name: string, help: string, bounds: readonly number[], onDropped: () => void) {
    super(name, help, 'histogram', onDropped);
    this.bounds = bounds;
  }

  /**
   * Adds counts to buckets of `bounds` (`[bucket index, count]`, index `bounds.length` for +Inf),
   * their total and their sum.
   */
  add(labels: Labels, counts: readonly (readonly [number, number])[], count: number, sum: number): void {
    const series = this.of(labels);
    if (!series) return;
    series.buckets ??= new Array<number>(this.bounds.length + 1).fill(0);
    const buckets = series.buckets;
    for (const [i, n] of counts) buckets[i] = (buckets[i] as number) + n;
    series.value += count;
    series.sum = (series.sum ?? 0) + sum;
  }

  /** One value. */
  observe(labels: Labels, value: number): void {
    const i = this.bounds.findIndex((bound) => value <= bound);
    this.add(labels, [[i === -1 ? this.bounds.length : i, 1]], 1, value);
  }

  lines(): string[] {
    return [...this.series.values()].flatMap((s) => {
      // The series' own pairs are formatted once, and each bucket's `le` put after them.
      const pairs = labelPairs(s.labels);
      const bucket = (le: string) => `${this.name}_bucket{${pairs}${pairs ? ',' : ''}le="${le}"}`;
      let cumulative = 0;
      const buckets = s.buckets ?? [];
      const lines = this.bounds.map((bound, i) => {
        cumulative += buckets[i] ?? 0;
        return `${bucket(number(bound))} ${cumulative}`;
      });
      cumulative += buckets[this.bounds.length] ?? 0;
      lines.push(`${bucket('+Inf')} ${cumulative}`);
      lines.push(`${this.name}_sum${braced(pairs)} ${number(s.sum ?? 0)}`);
      lines.push(`${this.name}_count${braced(pairs)} ${s.value}`);
      return lines;
    });
  }
}

/** The metrics of one collector, and their exposition. */
export class Exposition {
  readonly #metrics: Metric[] = [];
  readonly #dropped: Counter;

  constructor() {
    this.#dropped = this.counter('webinfer_series_dropped_total', 'Label sets turned away because a metric had too many');
  }

  counter(name: string, help: string): Counter {
    const metric = new Counter(name, help, () => this.#dropped.inc());
    this.#metrics.push(metric);
    return metric;
  }

  histogram(name: string, help: string, bounds: readonly number[]): Histogram {
    const metric = new Histogram(name, help, bounds, () => this.#dropped.inc());
    this.#metrics.push(metric);
    return metric;
  }

  render(): string {
    const text = this.#metrics.flatMap((m) => [
      `# HELP ${m.name} ${escapeHelp(m.help)}`,
      `# TYPE ${m.name} ${m.type}`,
      ...m.lines(),
    ]);
    return `${text.join('\n')}\n`;
  }
}

function format(labels: Labels): string {
  return braced(labelPairs(labels));
}

const braced = (pairs: string) => (pairs ? `{${pairs}}` : '');

/** `key="value"` pairs, comma-separated, without the braces. */
function labelPairs(labels: Labels): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}="${escapeValue(value)}"`)
    .join(',');
}

const escapeValue = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const escapeHelp = (help: string) => help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const number = (x: number) => (Number.isFinite(x) ? String(x) : x > 0 ? '+Inf' : x < 0 ? '-Inf' : 'NaN');
