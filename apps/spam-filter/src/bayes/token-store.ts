/**
 * The classifier's statistics in Redis, shared by every replica (under
 * REDIS_KEY_PREFIX, one hash tag so a Redis Cluster keeps them together):
 *   {bayes}:messages       hash  spam → n, ham → n (messages learned)
 *   {bayes}:tokens:spam    hash  token id → messages of that class with it
 *   {bayes}:tokens:ham     hash
 *   {bayes}:learned        hash  message identity → class
 * Token ids are truncated SHA-256 digests (as SpamAssassin stores 40-bit
 * SHA-1s): compact, and no words of anyone's mail sit in Redis as text.
 * Learning is one Lua script, so it is atomic and idempotent: a message
 * known as the same class changes nothing; known as the other class, its
 * tokens move.
 */
import { hash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SpamClass } from '@mail/contracts';
import { RedisBatch } from '../redis-batch';
import type { CorpusSize, TokenCounts } from './robinson-fisher';

export type LearnOutcome = 'learned' | 'relearned' | 'duplicate';

/** Fields per HMGET when a batch reads many tokens: Redis answers each command at once, so no single one should be huge. */
const fieldsPerRead = 4096;

const keys = {
  messages: '{bayes}:messages',
  spam: '{bayes}:tokens:spam',
  ham: '{bayes}:tokens:ham',
  learned: '{bayes}:learned',
} as const;

// KEYS: learned, spam tokens, ham tokens, messages. ARGV: identity, class, token ids...
const learnScript = `
local previous = redis.call('HGET', KEYS[1], ARGV[1])
if previous == ARGV[2] then return 'duplicate' end
local function tokensOf(class) if class == 'spam' then return KEYS[2] else return KEYS[3] end end
if previous then
  local from = tokensOf(previous)
  for i = 3, #ARGV do
    if redis.call('HINCRBY', from, ARGV[i], -1) <= 0 then redis.call('HDEL', from, ARGV[i]) end
  end
  if redis.call('HINCRBY', KEYS[4], previous, -1) < 0 then redis.call('HSET', KEYS[4], previous, 0) end
end
local to = tokensOf(ARGV[2])
for i = 3, #ARGV do redis.call('HINCRBY', to, ARGV[i], 1) end
redis.call('HINCRBY', KEYS[4], ARGV[2], 1)
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if previous then return 'relearned' end
return 'learned'
`;

/** A token's id: the first 72 bits of its SHA-256, base64url. crypto.hash is the one-shot form (a third of createHash's cost per token), same digest. */
export function tokenId(token: string): string {
  return hash('sha256', token, 'base64url').slice(0, 12);
}

/** The ids a message's tokens count under, each once: learning adds one per class per distinct id (the Lua script above, MemoryTokenStore). */
export function distinctTokenIds(tokens: readonly string[]): string[] {
  return [...new Set(tokens.map(tokenId))];
}

export class TokenStore {
  constructor(private readonly redis: Redis) {}

  async corpusSize(): Promise<CorpusSize> {
    return corpusOf(await this.redis.hmget(keys.messages, 'spam', 'ham'));
  }

  /** corpusSize(), read in a batch's round trip. */
  async corpusSizeIn(batch: RedisBatch): Promise<CorpusSize> {
    return corpusOf(await batch.queue<(string | null)[]>((pipeline) => pipeline.hmget(keys.messages, 'spam', 'ham')));
  }

  /** The counts of distinct token ids (tokenId) of many messages, read in a batch's round trip. */
  async countsIn(batch: RedisBatch, ids: readonly string[]): Promise<Map<string, TokenCounts>> {
    const counts = new Map<string, TokenCounts>();
    const reads: Promise<void>[] = [];
    for (let at = 0; at < ids.length; at += fieldsPerRead) {
      const slice = ids.slice(at, at + fieldsPerRead);
      const spam = batch.queue<(string | null)[]>((pipeline) => pipeline.hmget(keys.spam, ...slice));
      const ham = batch.queue<(string | null)[]>((pipeline) => pipeline.hmget(keys.ham, ...slice));
      reads.push(Promise.all([spam, ham]).then(([s, h]) => slice.forEach((id, i) => counts.set(id, { spam: Number(s[i] ?? 0), ham: Number(h[i] ?? 0) }))));
    }
    await Promise.all(reads);
    return counts;
  }

  /** countsIn() in a round trip of its own. */
  async countsById(ids: readonly string[]): Promise<Map<string, TokenCounts>> {
    const batch = new RedisBatch(this.redis);
    const counts = this.countsIn(batch, ids);
    await batch.send();
    return counts;
  }

  /** Counts of each token, in order. */
  async counts(tokens: readonly string[]): Promise<TokenCounts[]> {
    if (tokens.length === 0) return [];
    const ids = tokens.map(tokenId);
    const [spam, ham] = await Promise.all([this.redis.hmget(keys.spam, ...ids), this.redis.hmget(keys.ham, ...ids)]);
    return ids.map((_, i) => ({ spam: Number(spam[i] ?? 0), ham: Number(ham[i] ?? 0) }));
  }

  async learn(identity: string, as: SpamClass, tokens: readonly string[]): Promise<LearnOutcome> {
    const ids = distinctTokenIds(tokens);
    const outcome = await this.redis.eval(learnScript, 4, keys.learned, keys.spam, keys.ham, keys.messages, identity, as, ...ids);
    return outcome as LearnOutcome;
  }

  /** Distinct tokens with a spam count and with a ham count. */
  async tokenCounts(): Promise<{ spam: number; ham: number }> {
    const [spam, ham] = await Promise.all([this.redis.hlen(keys.spam), this.redis.hlen(keys.ham)]);
    return { spam, ham };
  }
}

function corpusOf([spam, ham]: readonly (string | null | undefined)[]): CorpusSize {
  return { spam: Number(spam ?? 0), ham: Number(ham ?? 0) };
}
