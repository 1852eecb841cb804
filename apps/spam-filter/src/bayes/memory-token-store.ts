/**
 * The token store's counting held in memory, for an offline evaluation
 * (tools/spam-eval trains and scores thousands of messages per fold): the
 * same token ids (distinctTokenIds), the same one count per class per distinct token of a
 * message, and the same idempotence by message identity as TokenStore's
 * Lua script (a message learned again as the same class changes nothing;
 * as the other class, its tokens move). The service itself never uses it.
 */
import type { SpamClass } from '@mail/contracts';
import type { CorpusSize, TokenCounts } from './robinson-fisher';
import type { LearnOutcome } from './token-store';

export class MemoryTokenStore {
  readonly #counts = new Map<string, { spam: number; ham: number }>();
  readonly #learned = new Map<string, { as: SpamClass; ids: readonly string[] }>();
  #corpus = { spam: 0, ham: 0 };

  corpusSize(): CorpusSize {
    return { ...this.#corpus };
  }

  /** The counts of token ids (tokenId), as TokenStore.countsIn reads them. */
  countsById(ids: readonly string[]): Map<string, TokenCounts> {
    const counts = new Map<string, TokenCounts>();
    for (const id of ids) counts.set(id, this.#counts.get(id) ?? { spam: 0, ham: 0 });
    return counts;
  }

  /** Learns a message from its distinctTokenIds (computed once by the caller, who scores the same message in other folds). */
  learn(identity: string, as: SpamClass, ids: readonly string[]): LearnOutcome {
    const previous = this.#learned.get(identity);
    if (previous?.as === as) return 'duplicate';
    if (previous) {
      this.#add(previous.as, previous.ids, -1);
      this.#corpus[previous.as] = Math.max(0, this.#corpus[previous.as] - 1);
    }
    this.#add(as, ids, 1);
    this.#corpus[as] += 1;
    this.#learned.set(identity, { as, ids });
    return previous ? 'relearned' : 'learned';
  }

  #add(as: SpamClass, ids: readonly string[], by: 1 | -1): void {
    for (const id of ids) {
      const counts = this.#counts.get(id) ?? { spam: 0, ham: 0 };
      counts[as] = Math.max(0, counts[as] + by);
      this.#counts.set(id, counts);
    }
  }
}
