/**
 * FETCH of many small messages (issue 18): one mailbox.fetch request per
 * message capped a FETCH 1:* BODY.PEEK[] at a few hundred messages a second.
 * When a FETCH's items read whole messages (a section, RFC822, or a MIME
 * scan for BODYSTRUCTURE), the small messages of a metadata page
 * (≤ BATCH_MESSAGE_MAX_OCTETS) are read whole in batches, one
 * mailbox.fetch-many request each (at most BATCH_OCTETS and
 * FETCH_MESSAGES_MAX_UIDS), in the order they are written. While a batch is
 * written the next one is read ahead once less than half a batch is held,
 * so about one and a half batches are in memory at most. Large messages,
 * and any a batch did not bring (failed, expunged meanwhile, a size other
 * than the metadata's), stream chunk by chunk as before: that path reports
 * failures to the client. The same approach as POP3's RETR prefetch
 * (apps/pop3-server/src/maildrop/retr-prefetch.ts).
 */
import { FETCH_MESSAGES_MAX_OCTETS, FETCH_MESSAGES_MAX_UIDS } from '@mail/contracts';
import type { FetchItem } from '@mail/imap';
import type { MailboxStoreClient } from '../mailbox/mailbox-store-client';
import { needsStructure } from './fetch-message';

/** Messages up to this size are read whole in batches; larger ones stream. */
export const BATCH_MESSAGE_MAX_OCTETS = 64 * 1024;
/** Stored octets one batch asks for at most. */
export const BATCH_OCTETS = FETCH_MESSAGES_MAX_OCTETS;

/** What a batch needs to know of a message (messages.fetch metadata). */
export interface BatchedMessage {
  readonly key: string;
  readonly size: number;
}

type MessageReader = Pick<MailboxStoreClient, 'readRange'>;

/** Whether the items read the whole stored message: a section (RFC 9051 §6.4.5 BODY[...]), RFC822, or a MIME scan. */
export function readsWholeMessages(items: readonly FetchItem[]): boolean {
  return needsStructure(items) || items.some((item) => item.kind === 'RFC822' || item.kind === 'section');
}

/** The keys of the small messages, in order, grouped into batches of at most BATCH_OCTETS and FETCH_MESSAGES_MAX_UIDS. */
export function planBatches(messages: readonly BatchedMessage[]): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let octets = 0;
  for (const message of messages) {
    if (message.size > BATCH_MESSAGE_MAX_OCTETS) continue;
    if (current.length >= FETCH_MESSAGES_MAX_UIDS || octets + message.size > BATCH_OCTETS) {
      batches.push(current);
      current = [];
      octets = 0;
    }
    current.push(message.key);
    octets += message.size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** The small messages of one FETCH page, read whole in batches and handed out once each, in order. */
export class FetchBatches {
  readonly #batches: readonly string[][];
  /** The batch of each small message not handed out yet. */
  readonly #batchOf = new Map<string, number>();
  readonly #held = new Map<string, Buffer>();
  #heldOctets = 0;
  /** The next batch not requested yet. */
  #next = 0;
  #inFlight: Promise<void> | undefined;

  constructor(
    private readonly store: Pick<MailboxStoreClient, 'readMessages'>,
    private readonly user: string,
    messages: readonly BatchedMessage[],
  ) {
    this.#batches = planBatches(messages);
    this.#batches.forEach((keys, index) => {
      for (const key of keys) this.#batchOf.set(key, index);
    });
  }

  /** Octets held (read, not handed out yet). */
  get heldOctets(): number {
    return this.#heldOctets;
  }

  /**
   * The whole stored message when it is batched and its batch brought it
   * with the size the metadata says; undefined otherwise (the caller streams it).
   */
  async take(message: BatchedMessage): Promise<Buffer | undefined> {
    const index = this.#batchOf.get(message.key);
    if (index === undefined) return undefined;
    if (!this.#held.has(message.key) && this.#inFlight !== undefined) await this.#inFlight;
    // Asked out of order (not the case for fetch.ts): its batch now, the rest dropped
    if (!this.#held.has(message.key) && index >= this.#next) {
      this.#held.clear();
      this.#heldOctets = 0;
      this.#request(index);
      await this.#inFlight;
    }
    this.#batchOf.delete(message.key);
    const data = this.#held.get(message.key);
    if (data !== undefined) {
      this.#held.delete(message.key);
      this.#heldOctets -= data.length;
    }
    this.#readAhead();
    return data?.length === message.size ? data : undefined;
  }

  /** Starts reading the next batch when less than half a batch is held and none is in flight. */
  #readAhead(): void {
    if (this.#inFlight !== undefined || this.#heldOctets >= BATCH_OCTETS / 2 || this.#next >= this.#batches.length) return;
    this.#request(this.#next);
  }

  #request(index: number): void {
    this.#next = index + 1;
    const keys = this.#batches[index] ?? [];
    this.#inFlight = this.store.readMessages(this.user, keys, BATCH_OCTETS).then(
      (fetched) => {
        this.#inFlight = undefined;
        for (const [key, data] of fetched) {
          if (this.#batchOf.get(key) !== index || this.#held.has(key)) continue;
          this.#held.set(key, data);
          this.#heldOctets += data.length;
        }
      },
      () => {
        // The messages stream instead, and that path reports a failure to the client
        this.#inFlight = undefined;
      },
    );
  }
}

/** A reader of stored octets that answers from `octets` for the message `key` and asks `store` for any other. */
export function readerWith(store: MessageReader, key: string, octets: Buffer): MessageReader {
  return {
    async *readRange(user: string, wanted: string, start: number, end: number): AsyncGenerator<Buffer> {
      if (wanted !== key) {
        yield* store.readRange(user, wanted, start, end);
        return;
      }
      if (end > start) yield octets.subarray(start, end);
    },
  };
}
