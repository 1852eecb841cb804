/** Counters of the search index, exported on /metrics. */
import type { Meter } from '@opentelemetry/api';

export type IndexTrigger = 'search' | 'background';

export interface SearchIndexMetrics {
  /** Messages given their search text: `extraction` decoded or raw (the extraction failed), by what asked for it. */
  indexed(extraction: 'decoded' | 'raw', trigger: IndexTrigger, count: number): void;
}

export function createSearchIndexMetrics(meter: Meter): SearchIndexMetrics {
  const indexed = meter.createCounter('mailbox_store_search_indexed_messages', {
    description: 'Messages given their search text, by extraction (decoded, or raw when decoding failed) and trigger (a SEARCH, or the background indexer)',
  });
  return {
    indexed: (extraction, trigger, count) => {
      if (count > 0) indexed.add(count, { extraction, trigger });
    },
  };
}

export const silentSearchIndexMetrics: SearchIndexMetrics = { indexed: () => undefined };
