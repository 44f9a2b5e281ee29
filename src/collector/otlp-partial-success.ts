import type { Signal } from './otlp-envelope.js';

/** Reasons named in a partial success's message; the rest are counted as "more". */
const reasonsNamed = 4;

/**
 * Data points (or log records) left out of what was stored, by reason: points that are not
 * webinfer's, or lack what webinfer needs of them. They are answered as the OTLP spec asks of a
 * receiver that took part of a request: 200 with `partialSuccess`, the count and a message
 * (https://opentelemetry.io/docs/specs/otlp/#partial-success-1), so the sender does not retry.
 */
export class Rejections {
  readonly #byReason = new Map<string, number>();
  #count = 0;

  add(reason: string, n = 1): void {
    if (n <= 0) return;
    this.#byReason.set(reason, (this.#byReason.get(reason) ?? 0) + n);
    this.#count += n;
  }

  get count(): number {
    return this.#count;
  }

  get message(): string {
    const named = [...this.#byReason].slice(0, reasonsNamed).map(([reason, n]) => `${reason} (${n})`);
    const more = this.#byReason.size - reasonsNamed;
    return `not stored: ${named.join('; ')}${more > 0 ? `; and ${more} more reasons` : ''}`;
  }
}

/** ExportMetricsServiceResponse or ExportLogsServiceResponse in OTLP/JSON: `{}` when all was taken. */
export function exportResponse(signal: Signal, rejections: Rejections) {
  if (rejections.count === 0) return {};
  const rejected = String(rejections.count);
  const errorMessage = rejections.message;
  return {
    partialSuccess:
      signal === 'metrics' ? { rejectedDataPoints: rejected, errorMessage } : { rejectedLogRecords: rejected, errorMessage },
  };
}
