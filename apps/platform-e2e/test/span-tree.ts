/**
 * Reading one trace out of the spans an OtlpReceiver collected: its spans,
 * a span's parent, and whether one span lies under another.
 */
import type { ReceivedSpan } from './otlp-receiver';

/** OTLP SpanKind values. */
export const SpanKinds = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

export class SpanTree {
  readonly #byId: Map<string, ReceivedSpan>;

  constructor(readonly spans: readonly ReceivedSpan[]) {
    this.#byId = new Map(spans.map((s) => [s.spanId, s]));
  }

  /** The spans of `traceId` among `all`. */
  static of(all: readonly ReceivedSpan[], traceId: string): SpanTree {
    return new SpanTree(all.filter((s) => s.traceId === traceId));
  }

  parentOf(span: ReceivedSpan): ReceivedSpan | undefined {
    return span.parentSpanId ? this.#byId.get(span.parentSpanId) : undefined;
  }

  /** `span` is `ancestor` or lies somewhere under it. */
  isUnder(span: ReceivedSpan, ancestor: ReceivedSpan): boolean {
    for (let s: ReceivedSpan | undefined = span; s; s = this.parentOf(s)) if (s === ancestor) return true;
    return false;
  }

  /** The one span matching `match`; throws (naming what was there) when there is none. */
  find(description: string, match: (s: ReceivedSpan) => boolean): ReceivedSpan {
    const found = this.spans.find(match);
    if (!found) throw new Error(`no span ${description} in the trace; it has: ${this.spans.map((s) => `${s.service}/${s.name}`).join(', ')}`);
    return found;
  }

  services(): Set<string> {
    return new Set(this.spans.map((s) => s.service));
  }
}
