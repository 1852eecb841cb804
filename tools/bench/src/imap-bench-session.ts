/**
 * The bench's IMAP session: one socket, one tagged command at a time, the
 * server's responses split and counted by ImapResponseReader (literals
 * skipped, never held). Enough for LOGIN, SELECT, FETCH, IDLE/DONE and
 * LOGOUT against imap-server and Dovecot alike, and light enough to hold
 * ten thousand idle sessions in one process: no timer runs while nothing
 * is awaited. Not a client library: the integration tests have their own
 * (apps/imap-server/test/fixtures), tools read mail over POP3.
 */
import { connect, type Socket } from 'node:net';
import { ImapResponseReader, type ImapResponse } from './imap-response-reader';

/** A tagged command's answer, counted. */
export interface CommandOutcome {
  readonly status: 'OK' | 'NO' | 'BAD';
  /** The tagged status line without its tag. */
  readonly text: string;
  /** Untagged FETCH responses in the answer (RFC 9051 §7.5.2). */
  readonly fetched: number;
  /** Octets of the whole answer (untagged responses, literals and the tagged line). */
  readonly octets: number;
  /** Octets of the literals in it (message octets, for BODY[]). */
  readonly literalOctets: number;
}

export class ImapSessionError extends Error {
  override name = 'ImapSessionError';
}

export interface ImapSessionOptions {
  readonly host?: string;
  /** Source address (127.0.0.2, …: more ephemeral ports for many sessions from one process). */
  readonly localAddress?: string;
  /** Deadline of the connection and greeting. */
  readonly timeoutMs?: number;
}

interface PendingCommand {
  readonly tag: string;
  fetched: number;
  octets: number;
  literalOctets: number;
  resolve(outcome: CommandOutcome): void;
  reject(error: Error): void;
  /** Set while waiting for a command continuation request (`+`, RFC 9051 §7.5), as IDLE does. */
  onContinuation?: () => void;
}

interface ExistsWaiter {
  readonly count: number;
  resolve(at: number): void;
  reject(error: Error): void;
}

// RFC 9051 §9: status responses, and message-data `nz-number SP "EXISTS"` / `"FETCH"`
const taggedStatus = /^(\S+) (OK|NO|BAD)\b ?(.*)$/i;
const existsResponse = /^\* (\d+) EXISTS\b/i;
const fetchResponse = /^\* \d+ FETCH\b/i;

/** RFC 9051 §4.3: a quoted string, `\` and `"` escaped. */
export const quoted = (text: string): string => `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

const defaultCommandTimeoutMs = 120_000;

export class ImapBenchSession {
  readonly #reader: ImapResponseReader;
  #greeting: { resolve(text: string): void; reject(error: Error): void } | undefined;
  #pending: PendingCommand | undefined;
  #existsWaiters: ExistsWaiter[] = [];
  #nextTag = 1;
  #exists = 0;
  #existsAt = 0;
  #closed: Error | undefined;

  private constructor(private readonly socket: Socket) {
    this.#reader = new ImapResponseReader((response) => this.#onResponse(response));
    socket.on('data', (chunk: Buffer) => {
      try {
        this.#reader.push(chunk);
      } catch (error) {
        this.#fail(error as Error);
        socket.destroy();
      }
    });
    socket.on('error', (error) => this.#fail(error));
    socket.on('close', () => this.#fail(new ImapSessionError('the server closed the connection')));
  }

  /** Connects and reads the greeting; rejects on `* BYE` (a server over its limit) or after the deadline. */
  static open(port: number, options: ImapSessionOptions = {}): Promise<ImapBenchSession> {
    const socket = connect({ port, host: options.host ?? '127.0.0.1', ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
    const session = new ImapBenchSession(socket);
    const greeted = new Promise<string>((resolve, reject) => (session.#greeting = { resolve, reject }));
    return withDeadline(greeted, options.timeoutMs ?? 30_000, 'the IMAP greeting').then(
      (text) => {
        // RFC 9051 §7.1.5: BYE as the greeting: the server will not serve this connection
        if (/^\* BYE\b/i.test(text)) throw new ImapSessionError(`refused: ${text}`);
        return session;
      },
      (error: Error) => {
        socket.destroy();
        throw error;
      },
    );
  }

  /** The highest `* n EXISTS` heard so far (SELECT's, then IDLE's). */
  get exists(): number {
    return this.#exists;
  }

  /** Sends `command` with a fresh tag; resolves with its counted answer, whatever the status. */
  command(command: string, timeoutMs = defaultCommandTimeoutMs): Promise<CommandOutcome> {
    return withDeadline(this.#send(command), timeoutMs, command.split(' ')[0] as string);
  }

  /** The same, rejecting unless the answer is OK. */
  async ok(command: string, timeoutMs = defaultCommandTimeoutMs): Promise<CommandOutcome> {
    const outcome = await this.command(command, timeoutMs);
    if (outcome.status !== 'OK') throw new ImapSessionError(`${command.split(' ')[0]}: ${outcome.status} ${outcome.text}`);
    return outcome;
  }

  login(user: string, password: string): Promise<CommandOutcome> {
    return this.ok(`LOGIN ${quoted(user)} ${quoted(password)}`);
  }

  /**
   * RFC 2177 §3: IDLE, resolved at the server's continuation request; the
   * tagged answer comes after `done()`. Resolves with the promise of it.
   */
  async idle(timeoutMs = defaultCommandTimeoutMs): Promise<{ ended: Promise<CommandOutcome> }> {
    const ended = this.#send('IDLE');
    const pending = this.#pending as PendingCommand;
    const continued = new Promise<void>((resolve) => (pending.onContinuation = resolve));
    await withDeadline(Promise.race([continued, ended.then((outcome) => Promise.reject(new ImapSessionError(`IDLE: ${outcome.status} ${outcome.text}`)))]), timeoutMs, 'IDLE');
    return { ended };
  }

  /** RFC 2177 §3: ends IDLE with DONE. */
  done(): void {
    this.socket.write('DONE\r\n');
  }

  /** performance.now() when `* n EXISTS` with n ≥ `count` arrived (now, or earlier if it already had). */
  waitForExists(count: number, timeoutMs: number): Promise<number> {
    if (this.#exists >= count) return Promise.resolve(this.#existsAt);
    if (this.#closed) return Promise.reject(this.#closed);
    const arrived = new Promise<number>((resolve, reject) => this.#existsWaiters.push({ count, resolve, reject }));
    return withDeadline(arrived, timeoutMs, `* ${count} EXISTS`);
  }

  /** Destroys the socket (no LOGOUT: ending ten thousand sessions is the bench's business, not the measurement). */
  close(): void {
    this.socket.destroy();
  }

  #send(command: string): Promise<CommandOutcome> {
    if (this.#closed) return Promise.reject(this.#closed);
    if (this.#pending) return Promise.reject(new ImapSessionError(`${command}: another command is running`));
    const tag = `b${this.#nextTag++}`;
    const answered = new Promise<CommandOutcome>((resolve, reject) => {
      this.#pending = { tag, fetched: 0, octets: 0, literalOctets: 0, resolve, reject };
    });
    this.socket.write(`${tag} ${command}\r\n`);
    return answered;
  }

  #onResponse(response: ImapResponse): void {
    const { text } = response;
    if (this.#greeting) {
      this.#greeting.resolve(text);
      this.#greeting = undefined;
      return;
    }
    const pending = this.#pending;
    if (pending) {
      pending.octets += response.octets;
      pending.literalOctets += response.literalOctets;
    }
    if (text.startsWith('+')) return pending?.onContinuation?.();
    if (text.startsWith('* ')) return this.#onUntagged(text, pending);
    const status = taggedStatus.exec(text);
    if (!pending || status?.[1] !== pending.tag) return this.#fail(new ImapSessionError(`unexpected response ${JSON.stringify(text.slice(0, 120))}`));
    this.#pending = undefined;
    pending.resolve({
      status: (status[2] as string).toUpperCase() as CommandOutcome['status'],
      text: status[3] ?? '',
      fetched: pending.fetched,
      octets: pending.octets,
      literalOctets: pending.literalOctets,
    });
  }

  #onUntagged(text: string, pending: PendingCommand | undefined): void {
    if (fetchResponse.test(text)) {
      if (pending) pending.fetched++;
      return;
    }
    const exists = existsResponse.exec(text);
    if (!exists) return;
    this.#exists = Number(exists[1]);
    this.#existsAt = performance.now();
    const waiting = this.#existsWaiters;
    this.#existsWaiters = waiting.filter((waiter) => waiter.count > this.#exists);
    for (const waiter of waiting) if (waiter.count <= this.#exists) waiter.resolve(this.#existsAt);
  }

  #fail(error: Error): void {
    if (this.#closed) return;
    this.#closed = error;
    this.#greeting?.reject(error);
    this.#pending?.reject(error);
    for (const waiter of this.#existsWaiters) waiter.reject(error);
    this.#greeting = undefined;
    this.#pending = undefined;
    this.#existsWaiters = [];
  }
}

/** `promise`, or an ImapSessionError after `timeoutMs`; the timer runs only while waiting. */
function withDeadline<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ImapSessionError(`no answer to ${what} within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
