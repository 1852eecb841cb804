/**
 * Reading one trace out of the spans an OtlpReceiver collected: its spans,
 * a span's parent, and whether one span lies under another; and waiting
 * until the spans a test looks at have all been exported.
 */
import { waitFor } from '@mail/testing';
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

  /** Every parent of `span` is in the trace, up to a span without one (the root). */
  hasAncestry(span: ReceivedSpan): boolean {
    let s: ReceivedSpan | undefined = span;
    for (let depth = 0; s?.parentSpanId !== undefined && depth <= this.spans.length; depth += 1) s = this.parentOf(s);
    return s !== undefined && s.parentSpanId === undefined;
  }
}

/** The spans a test asserts on, each named for the timeout message. */
export type ExpectedSpans = Readonly<Record<string, (s: ReceivedSpan) => boolean>>;

/**
 * The trace of the first span matching `anchor`, once it holds a span for
 * each of `expected` and every span matching one of them has all its parents.
 * Each service exports its spans in batches of its own (OTEL_BSP_SCHEDULE_DELAY),
 * so one service's spans arrive before another's, and a child can arrive
 * before its parent: a test that asserts on spans and parentage waits for
 * exactly those spans.
 */
export async function waitForTrace(all: readonly ReceivedSpan[], anchor: (s: ReceivedSpan) => boolean, expected: ExpectedSpans, timeoutMs = 60_000): Promise<SpanTree> {
  const matchers = Object.values(expected);
  return waitFor(
    () => {
      const first = all.find(anchor);
      if (first === undefined) throw new Error('no anchor span exported yet');
      const tree = SpanTree.of(all, first.traceId);
      const absent = Object.entries(expected)
        .filter(([, match]) => !tree.spans.some(match))
        .map(([description]) => description);
      const orphans = tree.spans.filter((s) => matchers.some((match) => match(s)) && !tree.hasAncestry(s)).map((s) => `${s.service}/${s.name}`);
      if (absent.length > 0 || orphans.length > 0) throw new Error(`not exported yet: ${absent.join(', ') || '-'}; parents not exported yet of: ${orphans.join(', ') || '-'}`);
      return tree;
    },
    { timeoutMs, description: `the spans ${Object.keys(expected).join(', ')} with their parents in one exported trace` },
  );
}
