/**
 * The APPEND messages of one session that the CommandReader streams out
 * (those over INLINE_BODY_MAX_OCTETS, up to APPEND_MAX_OCTETS, RFC 7889
 * APPENDLIMIT): each is written to the object store while its octets
 * arrive, so a session holds a few chunks of a message, never all of it.
 * The session hands the reader's 'literal-start' and 'literal-data' events
 * here; writing waits while the upload lags (the reader's queue then fills
 * and the transport stops reading the socket). APPEND takes the upload its
 * command's placeholder names; after each command the session drops what
 * no command took (a refused command, a second message), deleted from the
 * object store.
 */
import type { BodyReference } from '@mail/contracts';
import { syntaxError } from '@mail/imap';
import type { MailboxStoreClient } from '../mailbox/mailbox-store-client';

/** Octets waiting for the object store before a write waits: a few socket reads. */
const QUEUED_OCTETS_MAX = 512 * 1024;

type Uploader = Pick<MailboxStoreClient, 'uploadMessageBody' | 'deleteMessageBody'>;

/** What the reader says of a streamed literal (its 'literal-start' event). */
export interface StreamedLiteral {
  readonly size: number;
  /** literal8 (RFC 3516): NUL allowed. */
  readonly binary: boolean;
  /** The empty Buffer the command holds where the literal was. */
  readonly placeholder: Buffer;
}

export class AppendUploads {
  readonly #uploads = new Map<Buffer, LiteralUpload>();
  #current: LiteralUpload | undefined;

  constructor(private readonly store: Uploader) {}

  /** A streamed literal starts; when `accept` is false (no user logged in to append for) its octets are dropped. */
  start(literal: StreamedLiteral, accept: boolean): void {
    this.#current = new LiteralUpload(literal, accept ? this.store : undefined);
    this.#uploads.set(literal.placeholder, this.#current);
  }

  /** The next octets of the current literal; resolves when the upload can take more. */
  async write(data: Buffer): Promise<void> {
    await this.#current?.write(data);
  }

  /**
   * The stored message a command's literal was streamed to, once written
   * whole; undefined when `literal` is no placeholder (it was kept in the
   * command). The caller deletes the message when done with it.
   * @throws ImapResponseError BAD [CLIENTBUG] for a NUL in a literal (RFC 9051 §4.3), NO [UNAVAILABLE] when it could not be stored.
   */
  async take(literal: Buffer): Promise<BodyReference | undefined> {
    const upload = this.#uploads.get(literal);
    if (upload === undefined) return undefined;
    this.#uploads.delete(literal);
    return upload.stored();
  }

  /** Drops the uploads no command took: stopped, or deleted from the object store once written. */
  async discard(): Promise<void> {
    if (this.#uploads.size === 0) return;
    const left = [...this.#uploads.values()];
    this.#uploads.clear();
    this.#current = undefined;
    await Promise.all(left.map((upload) => upload.cancel()));
  }
}

/** One literal on its way to the object store; the object store pulls its chunks (backpressure). */
class LiteralUpload {
  readonly #queue: Buffer[] = [];
  #queued = 0;
  #containsNul = false;
  #cancelled = false;
  #settled = false;
  #wakeReader: (() => void) | undefined;
  #wakeWriter: (() => void) | undefined;
  readonly #result: Promise<BodyReference> | undefined;

  constructor(
    private readonly literal: StreamedLiteral,
    private readonly store: Uploader | undefined,
  ) {
    this.#result = store?.uploadMessageBody(this.#chunks());
    // Settled early (failed, or cancelled): writes stop waiting; stored() reports the failure
    void this.#result?.then(
      () => this.#settle(),
      () => this.#settle(),
    );
  }

  async write(data: Buffer): Promise<void> {
    // RFC 9051 §4.3: a literal is CHAR8 octets, no NUL; only literal8 may carry one (RFC 3516 §4.2)
    if (!this.literal.binary && data.includes(0)) this.#containsNul = true;
    if (this.#result === undefined || this.#settled || this.#cancelled) return;
    this.#queue.push(data);
    this.#queued += data.length;
    this.#wake('reader');
    while (this.#queued > QUEUED_OCTETS_MAX && !this.#settled && !this.#cancelled) await new Promise<void>((resolve) => (this.#wakeWriter = resolve));
  }

  async stored(): Promise<BodyReference> {
    if (this.#containsNul) {
      await this.cancel();
      throw syntaxError('NUL in a literal', undefined, 'CLIENTBUG');
    }
    if (this.#result === undefined) throw new Error('a literal taken that was not uploaded');
    return this.#result;
  }

  async cancel(): Promise<void> {
    this.#cancelled = true;
    this.#wake('reader');
    this.#wake('writer');
    const stored = await this.#result?.catch(() => undefined);
    if (stored !== undefined) await this.store?.deleteMessageBody(stored).catch(() => undefined);
  }

  async *#chunks(): AsyncGenerator<Uint8Array> {
    for (let sent = 0; sent < this.literal.size;) {
      if (this.#cancelled) throw new Error('APPEND upload cancelled');
      const chunk = this.#queue.shift();
      if (chunk === undefined) {
        await new Promise<void>((resolve) => (this.#wakeReader = resolve));
        continue;
      }
      this.#queued -= chunk.length;
      sent += chunk.length;
      if (this.#queued <= QUEUED_OCTETS_MAX) this.#wake('writer');
      yield chunk;
    }
  }

  #settle(): void {
    this.#settled = true;
    this.#wake('writer');
  }

  #wake(who: 'reader' | 'writer'): void {
    const wake = who === 'reader' ? this.#wakeReader : this.#wakeWriter;
    if (who === 'reader') this.#wakeReader = undefined;
    else this.#wakeWriter = undefined;
    wake?.();
  }
}
