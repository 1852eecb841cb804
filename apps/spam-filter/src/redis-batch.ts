/**
 * Redis commands of one batch of messages sent in one pipeline: one round
 * trip (one write, one read of the replies) however many messages and keys
 * it holds. Each queued command gets its own reply or error, so each
 * caller falls back on its own when Redis cannot answer (fail open), as
 * with single commands: every command still answers within the client's
 * REDIS_COMMAND_TIMEOUT_MS or rejects (@mail/runtime's redis-client.ts).
 */
import type { ChainableCommander, Redis } from 'ioredis';

interface Pending {
  resolve(reply: unknown): void;
  reject(error: unknown): void;
}

export class RedisBatch {
  readonly #pipeline: ChainableCommander;
  readonly #pending: Pending[] = [];
  #sent = false;

  constructor(redis: Redis) {
    this.#pipeline = redis.pipeline();
  }

  /**
   * Queues the one command `add` puts on the pipeline; resolves with its
   * reply, or rejects with its error, once the batch is sent.
   */
  queue<T>(add: (pipeline: ChainableCommander) => void): Promise<T> {
    if (this.#sent) throw new Error('RedisBatch: already sent');
    add(this.#pipeline);
    return new Promise<T>((resolve, reject) => this.#pending.push({ resolve: resolve as (reply: unknown) => void, reject }));
  }

  /** Sends every queued command in one round trip and settles each one's promise; never rejects itself. */
  async send(): Promise<void> {
    this.#sent = true;
    const pending = this.#pending.splice(0);
    if (pending.length === 0) return;
    let replies: [Error | null, unknown][] | null;
    try {
      replies = await this.#pipeline.exec();
    } catch (error) {
      for (const command of pending) command.reject(error);
      return;
    }
    pending.forEach((command, i) => {
      const [error, reply] = replies?.[i] ?? [new Error('no reply to a pipelined command'), undefined];
      if (error) command.reject(error);
      else command.resolve(reply);
    });
  }
}
