/**
 * What pop3-server asks of mailbox-store, behind a small interface so the
 * command handlers can be tested without a bus, and its implementation over
 * NATS request/reply (@mail/contracts Requests). Every failure to get an
 * answer becomes `-ERR [SYS/TEMP]` (RFC 3206 §4): the client may retry, and
 * the session goes on.
 */
import { RemoteError, RequestFailedError, type Bus } from '@mail/bus';
import { Requests, fetchedMessages, type MailboxEntry } from '@mail/contracts';
import { Pop3ResponseCode, Pop3ResponseError } from '@mail/pop3';

/** mailbox-store's RemoteError code for a uid the user has no entry for. */
const UNKNOWN_MESSAGE = 'unknown-message';

/** Octets asked for per fetchChunk request: large enough to stream fast, far below the NATS payload limit. */
export const FETCH_CHUNK_OCTETS = 256 * 1024;

/** The requests a POP3 session makes to mailbox-store. */
export interface MailboxStoreClient {
  /** The canonical address of the user when the password is right, otherwise undefined. */
  verifyCredentials(username: string, password: string): Promise<string | undefined>;
  /** The canonical address when `digest` is MD5(timestamp + the user's APOP secret) (RFC 1939 §7), otherwise undefined. */
  verifyApop(username: string, timestamp: string, digest: string): Promise<string | undefined>;
  /** The entries of the user's maildrop across `folders`. */
  listMaildrop(user: string, folders: readonly string[]): Promise<MailboxEntry[]>;
  /** The stored octets of one message, chunk by chunk; stop iterating to stop fetching. */
  readMessage(user: string, uid: string): AsyncGenerator<Buffer>;
  /**
   * Several messages whole, in one request, in the order of `uids`, while
   * their sizes add up to at most `maxOctets`; uids without an entry are left out.
   */
  readMessages(user: string, uids: readonly string[], maxOctets: number): Promise<Map<string, Buffer>>;
  /** Removes the entries for good (RFC 1939 §6 UPDATE); returns how many were removed. */
  expunge(user: string, uids: readonly string[]): Promise<number>;
}

/** {@link MailboxStoreClient} over the bus. Throws Pop3ResponseError [SYS/TEMP] when mailbox-store fails. */
export class BusMailboxStoreClient implements MailboxStoreClient {
  constructor(
    private readonly bus: Bus,
    private readonly options: { timeoutMs: number; chunkOctets?: number },
  ) {}

  async verifyCredentials(username: string, password: string): Promise<string | undefined> {
    const reply = await this.#request('check credentials', () => this.bus.request(Requests.verifyCredentials, { version: 1, username, password }, this.options.timeoutMs));
    return reply.ok ? reply.user : undefined;
  }

  async verifyApop(username: string, timestamp: string, digest: string): Promise<string | undefined> {
    const reply = await this.#request('check credentials', () => this.bus.request(Requests.verifyApop, { version: 1, username, timestamp, digest }, this.options.timeoutMs));
    return reply.ok ? reply.user : undefined;
  }

  async listMaildrop(user: string, folders: readonly string[]): Promise<MailboxEntry[]> {
    const reply = await this.#request('list the maildrop', () => this.bus.request(Requests.listMailbox, { version: 1, user, folders: [...folders] }, this.options.timeoutMs));
    return reply.entries;
  }

  async *readMessage(user: string, uid: string): AsyncGenerator<Buffer> {
    const length = this.options.chunkOctets ?? FETCH_CHUNK_OCTETS;
    for (let offset = 0; ;) {
      const reply = await this.#request('read the message', async () => {
        try {
          return await this.bus.request(Requests.fetchChunk, { version: 1, user, uid, offset, length }, this.options.timeoutMs);
        } catch (error) {
          // Removed behind the session's back (an administrator, or a session that held an expired lock).
          if (error instanceof RemoteError && error.code === UNKNOWN_MESSAGE) {
            throw new Pop3ResponseError('message no longer exists', { userFault: false, cause: error });
          }
          throw error;
        }
      });
      const data = Buffer.from(reply.data, 'base64');
      if (data.length > 0) yield data;
      if (reply.eof) return;
      // A chunk that is empty but not the last would make this loop spin forever.
      if (data.length === 0) throw storeFailure('read the message', new Error(`empty chunk at offset ${offset} before eof`));
      offset += data.length;
    }
  }

  async readMessages(user: string, uids: readonly string[], maxOctets: number): Promise<Map<string, Buffer>> {
    const { response, attachment } = await this.#request('read messages', () =>
      this.bus.requestWithAttachment(Requests.fetchMessages, { version: 1, user, uids: [...uids], maxOctets, packed: true, attachment: true }, this.options.timeoutMs),
    );
    // Any form a mailbox-store answers in (an older one ignores `attachment`, or `packed` too); one that cannot be read is a temporary failure
    try {
      return fetchedMessages(response, attachment);
    } catch (error) {
      throw storeFailure('read messages', error);
    }
  }

  async expunge(user: string, uids: readonly string[]): Promise<number> {
    const reply = await this.#request('delete messages', () => this.bus.request(Requests.expunge, { version: 1, user, uids: [...uids] }, this.options.timeoutMs));
    return reply.deleted;
  }

  async #request<T>(what: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof RemoteError || error instanceof RequestFailedError) throw storeFailure(what, error);
      throw error;
    }
  }
}

/** RFC 3206 §4: a temporary system failure; the text says what could not be done, the cause goes to the log. */
export function storeFailure(what: string, cause: unknown): Pop3ResponseError {
  return new Pop3ResponseError(`cannot ${what} right now, try again later`, { responseCode: Pop3ResponseCode.SysTemp, cause });
}
