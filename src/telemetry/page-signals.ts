import { type MetricType, onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals';
import { noLongFrames } from './batches.js';
import type { LongFrames, VitalRecord } from './beacon.js';

/** What `rt.metrics().page` says of the page: its web-vitals so far and its long frames. */
export interface PageMetrics {
  readonly vitals: Readonly<Partial<Record<VitalRecord['name'], Pick<VitalRecord, 'value' | 'rating'>>>>;
  readonly longFrames: LongFrames;
}

interface Frame {
  readonly start: number;
  readonly end: number;
  readonly blockingMs: number;
}

/** Model calls remembered to judge frames against, and frames waiting to be judged. */
const maxSpans = 1_024;
const maxFrames = 1_000;

/**
 * The page's side of monitoring: web-vitals (LCP, INP, CLS, FCP, TTFB, through the web-vitals
 * library) and long animation frames (long tasks where the browser has no LoAF), each judged
 * against the model calls in flight when it happened: a long frame during inference is what a
 * user feels as jank that webinfer may have caused (or suffered: a busy page delays replies).
 */
export class PageSignals {
  readonly #vitals = new Map<string, VitalRecord>();
  readonly #changed = new Set<string>();
  /**
   * [start, end] of the last `maxSpans` model calls, in `performance.now()` time, side by side
   * in a ring: a call writes two numbers and allocates nothing (P8).
   */
  readonly #spans = new Float64Array(2 * maxSpans);
  #calls = 0;
  #frames: Frame[] = [];
  #totals: LongFrames = noLongFrames;
  #observer: PerformanceObserver | undefined;

  start(webVitals: boolean): void {
    if (webVitals) {
      const report = (metric: MetricType) => this.#vital(metric);
      for (const on of [onLCP, onINP, onCLS, onFCP, onTTFB]) on(report, { reportAllChanges: true });
    }
    const types = globalThis.PerformanceObserver?.supportedEntryTypes ?? [];
    const type = types.includes('long-animation-frame')
      ? 'long-animation-frame'
      : types.includes('longtask')
        ? 'longtask'
        : undefined;
    if (!type) return;
    this.#observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (this.#frames.length >= maxFrames) this.#frames.shift();
        const blocking = (entry as PerformanceEntry & { blockingDuration?: number }).blockingDuration;
        this.#frames.push({
          start: entry.startTime,
          end: entry.startTime + entry.duration,
          blockingMs: blocking ?? Math.max(0, entry.duration - 50),
        });
      }
    });
    this.#observer.observe({ type, buffered: false });
  }

  /** A model call that took `roundTripMs` and ended at `end` (`performance.now()` time). */
  ran(roundTripMs: number, end: number): void {
    const at = (this.#calls++ % maxSpans) * 2;
    this.#spans[at] = end - roundTripMs;
    this.#spans[at + 1] = end;
  }

  /** Vitals reported (or changed) since the last call. */
  takeVitals(): VitalRecord[] {
    const changed = [...this.#changed].flatMap((id) => this.#vitals.get(id) ?? []);
    this.#changed.clear();
    return changed;
  }

  /** Long frames since the last call, and how many overlapped a model call. */
  takeLongFrames(): LongFrames {
    const taken = this.#judge(this.#frames);
    this.#frames = [];
    this.#totals = addFrames(this.#totals, taken);
    return taken;
  }

  /** Everything so far: the latest value of each vital, and all long frames. */
  summary(): PageMetrics {
    const vitals: Record<string, Pick<VitalRecord, 'value' | 'rating'>> = {};
    for (const { name, value, rating } of this.#vitals.values()) vitals[name] = { value, rating };
    return { vitals, longFrames: addFrames(this.#totals, this.#judge(this.#frames)) };
  }

  stop(): void {
    this.#observer?.disconnect();
  }

  #judge(frames: readonly Frame[]): LongFrames {
    let judged = noLongFrames;
    for (const frame of frames) {
      const during = this.#overlapsCall(frame);
      judged = addFrames(judged, {
        count: 1,
        duringInference: during ? 1 : 0,
        blockingMs: frame.blockingMs,
        blockingMsDuringInference: during ? frame.blockingMs : 0,
      });
    }
    return judged;
  }

  /** Whether a model call remembered was in flight during `frame`. */
  #overlapsCall(frame: Frame): boolean {
    const spans = this.#spans;
    const end = 2 * Math.min(this.#calls, maxSpans);
    for (let at = 0; at < end; at += 2) {
      if ((spans[at] as number) < frame.end && (spans[at + 1] as number) > frame.start) return true;
    }
    return false;
  }

  #vital(metric: MetricType): void {
    this.#vitals.set(metric.id, {
      name: metric.name,
      value: metric.value,
      rating: metric.rating,
      id: metric.id.slice(0, 64),
      navigationType: metric.navigationType,
    });
    this.#changed.add(metric.id);
  }
}

function addFrames(a: LongFrames, b: LongFrames): LongFrames {
  return {
    count: a.count + b.count,
    duringInference: a.duringInference + b.duringInference,
    blockingMs: a.blockingMs + b.blockingMs,
    blockingMsDuringInference: a.blockingMsDuringInference + b.blockingMsDuringInference,
  };
}
