/**
 * What imap-server asks of mailbox-store, over NATS request/reply with the
 * contracts of @mail/contracts (catalog-imap.ts, and the maildrop's
 * mailbox.fetch for message octets), behind an interface so that handlers
 * can be tested without a bus. Failures become IMAP refusals here, once:
 * a folder that does not exist is `NO [NONEXISTENT]`, a full mailbox
 * `NO [OVERQUOTA]`, a name taken `NO [ALREADYEXISTS]`, a value past what
 * the contract takes `NO [LIMIT]`, and only what kept mailbox-store from
 * answering `NO [UNAVAILABLE]` (RFC 9051 §7.1: a temporary failure, try
 * again later).
 */
import { randomUUID } from 'node:crypto';
import { BodyTooLargeError, RemoteError, RequestFailedError, type Bus } from '@mail/bus';
import { APPEND_MAX_OCTETS, Requests, fetchedMessages, type BodyReference, type RequestPayload, type RequestDefinition, type ResponsePayload } from '@mail/contracts';
import { ImapResponseError } from '@mail/imap';

/** Octets asked for per mailbox.fetch request: large enough to stream fast, far below the NATS payload limit. */
export const READ_CHUNK_OCTETS = 256 * 1024;

type Reply<K extends keyof typeof Requests> = ResponsePayload<(typeof Requests)[K]>;
type Ask<K extends keyof typeof Requests> = Omit<RequestPayload<(typeof Requests)[K]>, 'version'>;

/** The requests an IMAP session makes. */
export interface MailboxStoreClient {
  /** The canonical address of the user when the password is right, otherwise undefined. */
  verifyCredentials(username: string, password: string): Promise<string | undefined>;
  listFolders(ask: Ask<'listFolders'>): Promise<Reply<'listFolders'>>;
  selectFolder(ask: Ask<'selectFolder'>): Promise<Reply<'selectFolder'>>;
  folderChanges(ask: Ask<'folderChanges'>): Promise<Reply<'folderChanges'>>;
  fetchMeta(ask: Ask<'fetchMeta'>): Promise<Reply<'fetchMeta'>>;
  storeFlags(ask: Ask<'storeFlags'>): Promise<Reply<'storeFlags'>>;
  expungeFolder(ask: Ask<'expungeFolder'>): Promise<Reply<'expungeFolder'>>;
  copyMessages(ask: Ask<'copyMessages'>): Promise<Reply<'copyMessages'>>;
  searchMessages(ask: Ask<'searchMessages'>): Promise<Reply<'searchMessages'>>;
  quota(ask: Ask<'quota'>): Promise<Reply<'quota'>>;
  createFolder(ask: Ask<'createFolder'>): Promise<Reply<'createFolder'>>;
  deleteFolder(ask: Ask<'deleteFolder'>): Promise<Reply<'deleteFolder'>>;
  renameFolder(ask: Ask<'renameFolder'>): Promise<Reply<'renameFolder'>>;
  subscribeFolder(ask: Ask<'subscribeFolder'>): Promise<Reply<'subscribeFolder'>>;
  appendMessage(ask: Ask<'appendMessage'>): Promise<Reply<'appendMessage'>>;
  /** An APPEND message whole in memory (small): a reference carrying it inline when it fits INLINE_BODY_MAX_OCTETS, else written to the object store. */
  messageBody(content: Buffer): Promise<BodyReference>;
  /** An APPEND message as its octets arrive: written to the object store (ObjectStores.bodies) chunk by chunk, at most APPEND_MAX_OCTETS. */
  uploadMessageBody(chunks: AsyncIterable<Uint8Array>): Promise<BodyReference>;
  /** Removes an APPEND message from the object store once mailbox-store has answered (nothing to do for an inline one). */
  deleteMessageBody(ref: BodyReference): Promise<void>;
  /** The octets `[start, end)` of a stored message (by its entry key), chunk by chunk; stop iterating to stop reading. */
  readRange(user: string, key: string, start: number, end: number): AsyncGenerator<Buffer>;
  /** Several small stored messages whole (by entry key) in one mailbox.fetch-many request: those answered, while their sizes add up to at most `maxOctets`. */
  readMessages(user: string, keys: readonly string[], maxOctets: number): Promise<Map<string, Buffer>>;
}

/** {@link MailboxStoreClient} over the bus. */
export class BusMailboxStoreClient implements MailboxStoreClient {
  constructor(
    private readonly bus: Pick<Bus, 'request' | 'requestWithAttachment' | 'bodies'>,
    private readonly options: { readonly timeoutMs: number; readonly chunkOctets?: number },
  ) {}

  async verifyCredentials(username: string, password: string): Promise<string | undefined> {
    const reply = await this.#ask(Requests.verifyCredentials, { version: 1, username, password }, 'check credentials');
    return reply.ok ? reply.user : undefined;
  }

  listFolders(ask: Ask<'listFolders'>): Promise<Reply<'listFolders'>> {
    return this.#ask(Requests.listFolders, { version: 1, ...ask }, 'list folders');
  }

  selectFolder(ask: Ask<'selectFolder'>): Promise<Reply<'selectFolder'>> {
    return this.#ask(Requests.selectFolder, { version: 1, ...ask }, 'open the mailbox');
  }

  folderChanges(ask: Ask<'folderChanges'>): Promise<Reply<'folderChanges'>> {
    return this.#ask(Requests.folderChanges, { version: 1, ...ask }, 'read the mailbox changes');
  }

  fetchMeta(ask: Ask<'fetchMeta'>): Promise<Reply<'fetchMeta'>> {
    return this.#ask(Requests.fetchMeta, { version: 1, ...ask }, 'read the messages');
  }

  storeFlags(ask: Ask<'storeFlags'>): Promise<Reply<'storeFlags'>> {
    return this.#ask(Requests.storeFlags, { version: 1, ...ask }, 'change flags');
  }

  expungeFolder(ask: Ask<'expungeFolder'>): Promise<Reply<'expungeFolder'>> {
    return this.#ask(Requests.expungeFolder, { version: 1, ...ask }, 'expunge');
  }

  copyMessages(ask: Ask<'copyMessages'>): Promise<Reply<'copyMessages'>> {
    return this.#ask(Requests.copyMessages, { version: 1, ...ask }, ask.move ? 'move messages' : 'copy messages');
  }

  searchMessages(ask: Ask<'searchMessages'>): Promise<Reply<'searchMessages'>> {
    return this.#ask(Requests.searchMessages, { version: 1, ...ask }, 'search');
  }

  quota(ask: Ask<'quota'>): Promise<Reply<'quota'>> {
    return this.#ask(Requests.quota, { version: 1, ...ask }, 'read the quota');
  }

  createFolder(ask: Ask<'createFolder'>): Promise<Reply<'createFolder'>> {
    return this.#ask(Requests.createFolder, { version: 1, ...ask }, 'create the mailbox');
  }

  deleteFolder(ask: Ask<'deleteFolder'>): Promise<Reply<'deleteFolder'>> {
    return this.#ask(Requests.deleteFolder, { version: 1, ...ask }, 'delete the mailbox');
  }

  renameFolder(ask: Ask<'renameFolder'>): Promise<Reply<'renameFolder'>> {
    return this.#ask(Requests.renameFolder, { version: 1, ...ask }, 'rename the mailbox');
  }

  subscribeFolder(ask: Ask<'subscribeFolder'>): Promise<Reply<'subscribeFolder'>> {
    return this.#ask(Requests.subscribeFolder, { version: 1, ...ask }, ask.subscribed ? 'subscribe' : 'unsubscribe');
  }

  appendMessage(ask: Ask<'appendMessage'>): Promise<Reply<'appendMessage'>> {
    return this.#ask(Requests.appendMessage, { version: 1, ...ask }, 'append the message');
  }

  async messageBody(content: Buffer): Promise<BodyReference> {
    try {
      return await this.bus.bodies.putInlineIfSmall(appendedBodyKey(), [content], APPEND_MAX_OCTETS);
    } catch (error) {
      throw bodyRefusal(error);
    }
  }

  async uploadMessageBody(chunks: AsyncIterable<Uint8Array>): Promise<BodyReference> {
    try {
      return await this.bus.bodies.put(appendedBodyKey(), chunks, APPEND_MAX_OCTETS);
    } catch (error) {
      throw bodyRefusal(error);
    }
  }

  deleteMessageBody(ref: BodyReference): Promise<void> {
    return this.bus.bodies.delete(ref);
  }

  async *readRange(user: string, key: string, start: number, end: number): AsyncGenerator<Buffer> {
    const chunk = this.options.chunkOctets ?? READ_CHUNK_OCTETS;
    for (let offset = start; offset < end;) {
      const length = Math.min(chunk, end - offset);
      const reply = await this.#ask(Requests.fetchChunk, { version: 1, user, uid: key, offset, length }, 'read the message');
      const data = Buffer.from(reply.data, 'base64');
      if (data.length > 0) yield data.length > length ? data.subarray(0, length) : data;
      offset += data.length;
      // The stored message is shorter than announced: the caller's literal size would be wrong, so stop the connection's output cleanly
      if (offset < end && (reply.eof || data.length === 0)) throw new ImapResponseError('BYE', 'The stored message is shorter than its size', { code: 'SERVERBUG', userFault: false });
    }
  }

  async readMessages(user: string, keys: readonly string[], maxOctets: number): Promise<Map<string, Buffer>> {
    const { response, attachment } = await this.#send(
      Requests.fetchMessages,
      { version: 1, user, uids: [...keys], maxOctets, packed: true, attachment: true },
      'read the messages',
      (payload, timeoutMs) => this.bus.requestWithAttachment(Requests.fetchMessages, payload, timeoutMs),
    );
    // Any form a mailbox-store answers in (an older one ignores `attachment`, or `packed` too)
    try {
      return fetchedMessages(response, attachment);
    } catch (error) {
      throw new ImapResponseError('NO', 'Cannot read the messages right now, try again later', { code: 'UNAVAILABLE', userFault: false, cause: error });
    }
  }

  #ask<D extends RequestDefinition>(definition: D, payload: RequestPayload<D>, what: string): Promise<ResponsePayload<D>> {
    return this.#send(definition, payload, what, (checked, timeoutMs) => this.bus.request(definition, checked, timeoutMs));
  }

  /** `request` of `payload`, its failures as IMAP refusals naming `what` could not be done. */
  async #send<D extends RequestDefinition, T>(definition: D, payload: RequestPayload<D>, what: string, request: (payload: RequestPayload<D>, timeoutMs: number) => Promise<T>): Promise<T> {
    try {
      return await request(payload, this.options.timeoutMs);
    } catch (error) {
      // The bus refuses to send a request its contract rejects: a value from the client past what the contract takes
      if (error instanceof RequestFailedError) {
        const checked = definition.request.safeParse(payload);
        if (!checked.success) throw contractRefusal(what, checked.error.issues[0], error);
      }
      throw storeRefusal(what, error);
    }
  }
}

/** A fresh object-store key for an APPEND message (mailbox-store copies it; the IMAP server deletes it once answered). */
function appendedBodyKey(): string {
  return `imap-append-${randomUUID()}`;
}

/** The IMAP refusal for a message that could not be written to the object store. */
function bodyRefusal(error: unknown): ImapResponseError {
  // RFC 7889 §3: over APPENDLIMIT (the reader refuses such a literal before; this is the object store's own bound)
  if (error instanceof BodyTooLargeError) return new ImapResponseError('NO', `The message is larger than ${APPEND_MAX_OCTETS} octets`, { code: 'TOOBIG', userFault: true, cause: error });
  return new ImapResponseError('NO', 'Cannot store the message right now, try again later', { code: 'UNAVAILABLE', userFault: false, cause: error });
}

/**
 * The IMAP refusal for a request the contract rejects before it is sent.
 * Handlers check what they take from the client (folder-name.ts for
 * names), so this is a value past a bound of the contract they did not
 * check: RFC 5530 §3 LIMIT ("an implementation limit of some kind, such as
 * the number of flags on a single message"), naming the field and the rule
 * (zod's messages name the bound, never the value).
 */
export function contractRefusal(what: string, issue: { readonly path: readonly PropertyKey[]; readonly message: string } | undefined, cause: unknown): ImapResponseError {
  const where = issue === undefined || issue.path.length === 0 ? '' : ` (${issue.path.map(String).join('.')})`;
  return new ImapResponseError('NO', `Cannot ${what}: ${issue?.message ?? 'a value is out of bounds'}${where}`, { code: 'LIMIT', userFault: true, cause });
}

/**
 * The IMAP refusal for a failed request (the cause kept for the log): each
 * refusal code of the contracts as what it means to the client, and `NO
 * [UNAVAILABLE]` (RFC 5530 §3: a subsystem is down, try again) only for
 * true failures of the server side — no answer in time, no mailbox-store
 * listening, its internal errors, a body it cannot read.
 */
export function storeRefusal(what: string, error: unknown): unknown {
  if (error instanceof RemoteError) {
    switch (error.code) {
      case 'unknown-folder':
        return new ImapResponseError('NO', 'No such mailbox', { code: 'NONEXISTENT', userFault: true, cause: error });
      case 'unknown-message':
        return new ImapResponseError('NO', 'The message no longer exists', { code: 'EXPUNGEISSUED', userFault: false, cause: error });
      case 'over-quota':
        return new ImapResponseError('NO', 'The mailbox is over its quota', { code: 'OVERQUOTA', userFault: true, cause: error });
      // RFC 9051 §6.3.4, §6.3.6: CREATE or RENAME to a name that exists (INBOX always does)
      case 'folder-exists':
        return new ImapResponseError('NO', 'A mailbox with that name exists already', { code: 'ALREADYEXISTS', userFault: true, cause: error });
      // RFC 6154 §3: the special use cannot be given to this mailbox (another one has it)
      case 'special-use-taken':
        return new ImapResponseError('NO', 'Another mailbox has that special use', { code: 'USEATTR', userFault: true, cause: error });
      // RFC 9051 §6.3.5: INBOX cannot be deleted; Junk neither, nor renamed (delivery files spam there). RFC 5530 CANNOT: it can never succeed.
      case 'folder-protected':
        return new ImapResponseError('NO', 'This mailbox cannot be deleted or renamed', { code: 'CANNOT', userFault: true, cause: error });
      case 'invalid-folder':
        return new ImapResponseError('NO', 'Not a valid mailbox name', { code: 'CANNOT', userFault: true, cause: error });
      case 'too-large':
        return new ImapResponseError('NO', `The message is larger than ${APPEND_MAX_OCTETS} octets`, { code: 'TOOBIG', userFault: true, cause: error });
      // RFC 5530 §3 LIMIT: a search nested deeper than mailbox-store takes (SEARCH_MAX_DEPTH)
      case 'invalid-search':
        return new ImapResponseError('NO', 'The search is nested deeper than this server takes', { code: 'LIMIT', userFault: true, cause: error });
      // The account was deleted while its session was open: nothing more can succeed (RFC 9051 §7.1.5)
      case 'unknown-user':
        return new ImapResponseError('BYE', 'The account no longer exists', { userFault: true, cause: error });
      // mailbox-store rejects a request this server's contract accepts: the two are out of step, no retry helps (RFC 5530 §3 SERVERBUG)
      case 'bad-request':
        return new ImapResponseError('NO', `Cannot ${what}: internal error`, { code: 'SERVERBUG', userFault: false, cause: error });
      default:
        return new ImapResponseError('NO', `Cannot ${what} right now, try again later`, { code: 'UNAVAILABLE', userFault: false, cause: error });
    }
  }
  if (error instanceof RequestFailedError) return new ImapResponseError('NO', `Cannot ${what} right now, try again later`, { code: 'UNAVAILABLE', userFault: false, cause: error });
  return error;
}
