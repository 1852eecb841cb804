/**
 * How a check reaches the DNS list zones: their shared health and the
 * answers to its questions. Straight, one Redis command each (in-session
 * screening, one client at a time), or read ahead for a batch of messages
 * (BatchZoneLookups): the zones' health and the cached answers of every
 * question of the batch in its one Redis round trip, a question asked
 * twice in the batch (the same client twice) looked up once, and the
 * answers DNS gave written back together.
 */
import type { RedisBatch } from '../redis-batch';
import type { ZoneHealth, ZoneHealthState } from './zone-health';
import type { BatchAnswerCache, ZoneQuery, ZoneResult } from './zone-query';
import type { ZoneSpec } from './zone-spec';

export interface ZoneLookups {
  /** The zones' health; a zone missing from the map is in use. */
  states(zones: readonly string[]): Promise<ReadonlyMap<string, ZoneHealthState>>;
  ask(spec: ZoneSpec, queryName: string): Promise<ZoneResult>;
}

/** One Redis command per state read and per question. */
export function directLookups(query: ZoneQuery, health: ZoneHealth): ZoneLookups {
  return { states: (zones) => health.states(zones), ask: (spec, queryName) => query.ask(spec, queryName) };
}

export class BatchZoneLookups implements ZoneLookups {
  readonly #asked = new Map<string, Promise<ZoneResult>>();

  private constructor(
    private readonly query: ZoneQuery,
    private readonly zoneStates: ReadonlyMap<string, ZoneHealthState>,
    private readonly cache: BatchAnswerCache,
  ) {}

  /** Queues in `batch` the reads of `zones`' health and of the cached answers to `queryNames`; resolves once the batch is sent. */
  static async readIn(batch: RedisBatch, query: ZoneQuery, health: ZoneHealth, zones: readonly string[], queryNames: readonly string[]): Promise<BatchZoneLookups> {
    const [states, cache] = await Promise.all([health.statesIn(batch, queryNames.length > 0 ? zones : []), query.cachedAnswersIn(batch, queryNames)]);
    return new BatchZoneLookups(query, states, cache);
  }

  states(): Promise<ReadonlyMap<string, ZoneHealthState>> {
    return Promise.resolve(this.zoneStates);
  }

  ask(spec: ZoneSpec, queryName: string): Promise<ZoneResult> {
    const key = `${spec.source}\n${queryName.toLowerCase()}`;
    let answer = this.#asked.get(key);
    if (answer === undefined) {
      answer = this.query.ask(spec, queryName, this.cache);
      this.#asked.set(key, answer);
    }
    return answer;
  }

  /** Writes the answers DNS gave during the batch to the shared cache, in one round trip. */
  writeBack(): Promise<void> {
    return this.cache.writeBack();
  }
}
