// Framing of client input into whole commands (RFC 9051 §2.2, §4.3, §7.5):
// a command is a line, or several lines joined by literals. The reader is
// fed arbitrary chunks and returns events: a complete command, a request to
// send the `+` continuation for a synchronizing literal, or a refusal.
//
// Literal forms: synchronizing `{n}` (RFC 9051 §4.3: the client waits for
// `+`), non-synchronizing `{n+}` (RFC 7888 §3, LITERAL+ and LITERAL-) and
// literal8 `~{n}` (RFC 3516 §4.2, BINARY and APPEND). The session may
// decide each `+` (decideContinuations) and refuse the command instead, as
// RFC 9051 §2.2.1 allows. Every size is bounded:
// line length, literal size (APPEND has its own bound), total octets of one
// command; a refusal carries its tagged response and whether the connection
// must close. An APPEND message (RFC 9051 §6.3.12: up to RFC 7889's
// APPENDLIMIT, megabytes) may be streamed rather than kept: its octets are
// handed out as they arrive, for the session to write to storage.

import { ImapResponseError } from './response-error';

/** Limits of one connection's input. */
export interface CommandReaderLimits {
  /** Octets of one line without CRLF (RFC 7162 §4: servers should accept at least 8192). Default 65536. */
  readonly maxLineLength: number;
  /** Octets of one literal outside APPEND. Default 65536. */
  readonly maxLiteralSize: number;
  /** Octets of one APPEND literal, the message (RFC 7889 APPENDLIMIT). Default 50 MiB. */
  readonly maxAppendLiteralSize: number;
  /** Octets of a whole command, lines and literals, outside APPEND. Default 1 MiB. */
  readonly maxCommandSize: number;
  /** Octets of a whole APPEND command (several messages with MULTIAPPEND, RFC 3502). Default 100 MiB. */
  readonly maxAppendCommandSize: number;
  /** RFC 7888 §4 (LITERAL-): largest non-synchronizing literal accepted; undefined for LITERAL+ (any size within the bounds above). */
  readonly maxNonSynchronizingLiteral?: number;
  /** A non-synchronizing literal over its bound is read and thrown away up to this size; above it the connection is closed. Default 1 MiB. */
  readonly maxDiscardedLiteral: number;
  /** The same for the literals of an APPEND (a message sent past APPENDLIMIT anyway); default `maxDiscardedLiteral`. */
  readonly maxDiscardedAppendLiteral?: number;
  /**
   * APPEND literals of more than this many octets are streamed: a
   * 'literal-start' event, then their octets in 'literal-data' events as
   * they arrive, and the command holds the event's empty placeholder in
   * their place. Undefined (the default): every literal is kept in the command.
   */
  readonly streamAppendLiteralsOver?: number;
}

/** How a reader works with its session. */
export interface CommandReaderOptions {
  /**
   * RFC 9051 §2.2.1: instead of the `+` for a synchronizing literal, a
   * tagged completion response rejects the command, and the client then
   * sends no more of it (RFC 7889 §3's NO [TOOBIG] is one). When true the
   * session decides: after a 'continue' event the reader holds its input
   * until `continueLiteral()` (the `+` was sent) or `refuseLiteral()` (a
   * refusal was sent, the command is dropped). False (the default): the
   * `+` is taken as sent and the literal read at once.
   */
  readonly decideContinuations?: boolean;
}

export const DEFAULT_COMMAND_READER_LIMITS: CommandReaderLimits = {
  maxLineLength: 65_536,
  maxLiteralSize: 65_536,
  maxAppendLiteralSize: 50 * 1024 * 1024,
  maxCommandSize: 1024 * 1024,
  maxAppendCommandSize: 100 * 1024 * 1024,
  maxDiscardedLiteral: 1024 * 1024,
};

/**
 * A framed command: `lines[i]` (without CRLF) ends with the marker of
 * `literals[i]`; the last line has no marker. A command without literals is
 * one line.
 */
export interface RawCommand {
  readonly lines: readonly Buffer[];
  readonly literals: readonly Buffer[];
}

/** What {@link CommandReader.push} found. */
export type CommandReaderEvent =
  | { readonly kind: 'command'; readonly command: RawCommand }
  /**
   * RFC 9051 §7.5: send a continuation request (`+ Ready`) now; the client
   * waits for it before sending the literal of `size` octets. `command` is
   * the command so far: its lines up to the one ending with this literal's
   * marker, and the literals before it. With `decideContinuations` the
   * session may refuse the command instead (continueLiteral, refuseLiteral).
   */
  | { readonly kind: 'continue'; readonly tag: string | undefined; readonly command: RawCommand; readonly size: number }
  /** The command was dropped; send the error's response, then close if it says so. */
  | { readonly kind: 'refused'; readonly error: ImapResponseError }
  /**
   * A streamed APPEND literal of `size` octets starts (after its 'continue'
   * when synchronizing); 'literal-data' events carry the octets, `size` in
   * all, and the command that follows holds `placeholder` (an empty Buffer,
   * this very object) where the literal was. The command may still be
   * refused instead: the octets then belong to no command.
   */
  | { readonly kind: 'literal-start'; readonly tag: string | undefined; readonly size: number; readonly binary: boolean; readonly placeholder: Buffer }
  | { readonly kind: 'literal-data'; readonly data: Buffer };

/** RFC 9051 §9 literal marker at the end of a line: `{n}`, RFC 7888 `{n+}`, RFC 3516 literal8 `~{n}`. */
const LITERAL_MARKER = /(~?)\{([0-9]+)(\+?)\}$/;
const LF = 0x0a;
const CR = 0x0d;
const APPEND_PREFIX = /^[^ ]+ APPEND /i;
// RFC 9051 §9: tag = 1*<any ASTRING-CHAR except "+"> (no SP, CTL, 8-bit, nor ( ) { % * " \)
// eslint-disable-next-line no-control-regex
const TAG = /^[^\x00-\x20\x7f-\xff(){%*"\\+]+/;
/** Octets kept of the end of a line too long to keep, to see whether it announced a literal. */
const TAIL_OCTETS = 24;

/** A literal announced by its marker, before its octets come. */
interface PendingLiteral {
  readonly size: number;
  readonly literal8: boolean;
  readonly append: boolean;
}

type State =
  | { readonly kind: 'line' }
  /** A synchronizing literal's 'continue' is out and the session has not decided yet; input that comes meanwhile is held. */
  | { readonly kind: 'await-continuation'; readonly literal: PendingLiteral; readonly held: Buffer[]; heldLength: number }
  | { kind: 'literal'; remaining: number; readonly chunks: Buffer[] }
  /** A streamed literal: its octets go out as events; `placeholder` takes its place in the command. */
  | { kind: 'stream-literal'; remaining: number; readonly placeholder: Buffer }
  /** Throwing away the rest of a refused command, literals included, until it ends; then report `error`. */
  | { kind: 'discard-literal'; remaining: number; readonly error: ImapResponseError; readonly append: boolean }
  | { readonly kind: 'discard-line'; readonly error: ImapResponseError; readonly append: boolean }
  /** Throwing away the rest of a line over maxLineLength (keeping its last octets), then the rest of its command. */
  | { kind: 'skip-line'; tail: Buffer; readonly error: ImapResponseError; readonly append: boolean };

/**
 * Incremental command framer. `push` returns the events of a chunk in order;
 * the session handles them one after the other. Set `mode` to `'lines'`
 * while it expects a continuation line (AUTHENTICATE responses, RFC 9051
 * §6.2.2; IDLE's DONE, RFC 2177 §3): lines then come as one-line commands and
 * literal markers mean nothing.
 *
 * Memory: a partial line up to `maxLineLength` plus one command's literals
 * up to `maxCommandSize` (APPEND: `maxAppendCommandSize`, or with
 * `streamAppendLiteralsOver` that many octets per message at most).
 */
export class CommandReader {
  mode: 'commands' | 'lines' = 'commands';
  readonly limits: CommandReaderLimits;
  #state: State = { kind: 'line' };
  #partial: Buffer[] = [];
  #partialLength = 0;
  #lines: Buffer[] = [];
  #literals: Buffer[] = [];
  #commandSize = 0;
  #closed = false;
  readonly #decideContinuations: boolean;

  constructor(limits: Partial<CommandReaderLimits> = {}, options: CommandReaderOptions = {}) {
    this.limits = { ...DEFAULT_COMMAND_READER_LIMITS, ...limits };
    this.#decideContinuations = options.decideContinuations === true;
  }

  /** Octets received but not yet part of a returned command (for STARTTLS: RFC 9051 §6.2.1, no plaintext may be pending). */
  get buffered(): number {
    const held = this.#state.kind === 'await-continuation' ? this.#state.heldLength : 0;
    return this.#partialLength + held + this.#lines.reduce((n, l) => n + l.length, 0);
  }

  /** With `decideContinuations`: the `+` for the last 'continue' was sent, so its literal is read. The events of the input held meanwhile. */
  continueLiteral(): CommandReaderEvent[] {
    return this.#continuationDecided(true);
  }

  /**
   * With `decideContinuations`: a tagged refusal was sent instead of the `+`
   * for the last 'continue' (RFC 9051 §2.2.1), so its command is dropped and
   * the client's next line is a new command. The events of the input held
   * meanwhile.
   */
  refuseLiteral(): CommandReaderEvent[] {
    return this.#continuationDecided(false);
  }

  /** Processes a chunk. After an event that closes the connection, further input is ignored. */
  push(chunk: Uint8Array): CommandReaderEvent[] {
    const events: CommandReaderEvent[] = [];
    let data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (data.length > 0 && !this.#closed) {
      const state = this.#state;
      if (state.kind === 'literal' || state.kind === 'stream-literal' || state.kind === 'discard-literal') {
        const take = Math.min(state.remaining, data.length);
        if (state.kind === 'literal') state.chunks.push(data.subarray(0, take));
        else if (state.kind === 'stream-literal') events.push({ kind: 'literal-data', data: data.subarray(0, take) });
        state.remaining -= take;
        data = data.subarray(take);
        if (state.remaining === 0) this.#literalDone(state);
        continue;
      }
      if (state.kind === 'await-continuation') {
        this.#hold(state, data, events);
        break;
      }
      const lf = data.indexOf(LF);
      if (state.kind === 'skip-line') {
        const piece = lf < 0 ? data : data.subarray(0, lf);
        state.tail = lastOctets(Buffer.concat([state.tail, lastOctets(piece)]));
        if (lf < 0) break;
        data = data.subarray(lf + 1);
        this.#skippedLineDone(state, events);
        continue;
      }
      if (lf < 0) {
        this.#appendPartial(data);
        break;
      }
      this.#appendPartial(data.subarray(0, lf));
      data = data.subarray(lf + 1);
      const now = this.#state;
      if (now.kind === 'skip-line') this.#skippedLineDone(now, events);
      else this.#lineDone(events);
    }
    return events;
  }

  #appendPartial(piece: Buffer): void {
    if (piece.length === 0) return;
    this.#partialLength += piece.length;
    this.#partial.push(piece);
    // (one more octet: the CR of the line's CRLF)
    if (this.#partialLength > this.limits.maxLineLength + 1) this.#skipLine();
  }

  /**
   * A line over maxLineLength: its octets are thrown away as they come, and
   * at its end the command is refused `BAD [TOOBIG]` and reading goes on
   * (RFC 9051 §7.1.3: a syntax error; Dovecot also answers BAD and skips to
   * the end of the line). Nothing of the line is kept but its last octets.
   */
  #skipLine(): void {
    const state = this.#state;
    const first = this.#lines[0] ?? Buffer.concat(this.#partial).subarray(0, 80);
    // The rest of a command refused already keeps its refusal
    const { error, append } =
      state.kind === 'discard-line'
        ? state
        : { error: this.#error('BAD', `Command line too long (limit ${this.limits.maxLineLength} octets)`, 'TOOBIG', false, first), append: APPEND_PREFIX.test(first.toString('latin1', 0, 80)) };
    const tail = lastOctets(Buffer.concat(this.#partial.slice(-2)));
    this.#partial = [];
    this.#partialLength = 0;
    this.#reset();
    this.#state = { kind: 'skip-line', tail, error, append };
  }

  /** The end of a skipped line; a non-synchronizing literal it announced is thrown away too (RFC 7888 §4), as the rest of a refused command. */
  #skippedLineDone(state: Extract<State, { kind: 'skip-line' }>, events: CommandReaderEvent[]): void {
    const tail = state.tail.length > 0 && state.tail[state.tail.length - 1] === CR ? state.tail.subarray(0, -1) : state.tail;
    const marker = this.mode === 'commands' ? LITERAL_MARKER.exec(tail.toString('latin1')) : null;
    if (marker !== null && marker[3] === '+') this.#discardLiteral(Number(marker[2]), state, events);
    else this.#finishDiscard(state.error, events);
  }

  #lineDone(events: CommandReaderEvent[]): void {
    let line = this.#partial.length === 1 ? (this.#partial[0] as Buffer) : Buffer.concat(this.#partial, this.#partialLength);
    this.#partial = [];
    this.#partialLength = 0;
    // RFC 9051 §2.2: lines end with CRLF; a bare LF is accepted as most servers do
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, -1);
    const state = this.#state;
    if (line.length > this.limits.maxLineLength && state.kind !== 'discard-line') {
      this.#partial = [line];
      this.#skipLine();
      this.#skippedLineDone(this.#state as Extract<State, { kind: 'skip-line' }>, events);
      return;
    }
    const marker = this.mode === 'commands' ? LITERAL_MARKER.exec(line.toString('latin1', Math.max(0, line.length - 24))) : null;
    if (state.kind === 'discard-line') {
      // RFC 7888 §4: the rest of a refused command is read and ignored; a synchronizing literal ends it (no `+` is sent)
      if (marker !== null && marker[3] === '+') this.#discardLiteral(Number(marker[2]), state, events);
      else this.#finishDiscard(state.error, events);
      return;
    }
    this.#lines.push(line);
    this.#commandSize += line.length + 2;
    if (marker === null) {
      events.push({ kind: 'command', command: { lines: this.#lines, literals: this.#literals } });
      this.#reset();
      return;
    }
    this.#startLiteral(marker[2] as string, marker[3] === '+', marker[1] === '~', events);
  }

  #startLiteral(digits: string, nonSynchronizing: boolean, literal8: boolean, events: CommandReaderEvent[]): void {
    const append = APPEND_PREFIX.test((this.#lines[0] as Buffer).toString('latin1', 0, 80));
    const size = digits.length > 15 ? Number.MAX_SAFE_INTEGER : Number(digits);
    const literalBound = append ? this.limits.maxAppendLiteralSize : this.limits.maxLiteralSize;
    const commandBound = append ? this.limits.maxAppendCommandSize : this.limits.maxCommandSize;
    // RFC 7889 §3 / RFC 4469: an APPEND too large is NO [TOOBIG]; other commands are malformed (BAD)
    let refusal: ImapResponseError | undefined;
    if (size > literalBound || this.#commandSize + size > commandBound) refusal = this.#error(append ? 'NO' : 'BAD', `Literal too large (limit ${literalBound} octets)`, 'TOOBIG', false);
    else if (nonSynchronizing && this.limits.maxNonSynchronizingLiteral !== undefined && size > this.limits.maxNonSynchronizingLiteral) {
      // RFC 7888 §4 (LITERAL-): a non-synchronizing literal over 4096 octets is refused with BAD [TOOBIG]
      refusal = this.#error('BAD', `Non-synchronizing literal over ${this.limits.maxNonSynchronizingLiteral} octets`, 'TOOBIG', false);
    }
    if (refusal !== undefined) {
      this.#reset();
      // A synchronizing literal was never invited: the client drops the command when it sees the refusal (RFC 9051 §7.5)
      if (!nonSynchronizing) events.push({ kind: 'refused', error: refusal });
      else this.#discardLiteral(size, { error: refusal, append }, events);
      return;
    }
    this.#commandSize += size;
    const literal: PendingLiteral = { size, literal8, append };
    if (!nonSynchronizing) {
      events.push({ kind: 'continue', tag: this.#tag(), command: { lines: [...this.#lines], literals: [...this.#literals] }, size });
      if (this.#decideContinuations) {
        this.#state = { kind: 'await-continuation', literal, held: [], heldLength: 0 };
        return;
      }
    }
    this.#readLiteral(literal, events);
  }

  /** The literal's octets come next: kept for the command, or handed out as they arrive (an APPEND message over streamAppendLiteralsOver). */
  #readLiteral(literal: PendingLiteral, events: CommandReaderEvent[]): void {
    const streamOver = this.limits.streamAppendLiteralsOver;
    if (literal.append && streamOver !== undefined && literal.size > streamOver) {
      const placeholder = Buffer.alloc(0);
      this.#state = { kind: 'stream-literal', remaining: literal.size, placeholder };
      events.push({ kind: 'literal-start', tag: this.#tag(), size: literal.size, binary: literal.literal8, placeholder });
      return;
    }
    this.#state = { kind: 'literal', remaining: literal.size, chunks: [] };
    if (literal.size === 0) this.#literalDone(this.#state);
  }

  /**
   * Input while the session decides on a continuation. RFC 9051 §4.3: the
   * client sends the literal only after the `+`, so nothing should come; a
   * client that does not wait has up to a line's worth kept (read as the
   * literal if the `+` is sent, as the next commands if not), and beyond
   * that the connection is closed.
   */
  #hold(state: Extract<State, { kind: 'await-continuation' }>, data: Buffer, events: CommandReaderEvent[]): void {
    if (state.heldLength + data.length > this.limits.maxLineLength) {
      this.#closed = true;
      events.push({ kind: 'refused', error: new ImapResponseError('BYE', 'Literal sent before the continuation request', { closeConnection: true, userFault: true }) });
      return;
    }
    state.held.push(data);
    state.heldLength += data.length;
  }

  #continuationDecided(accepted: boolean): CommandReaderEvent[] {
    const state = this.#state;
    if (state.kind !== 'await-continuation') return [];
    const events: CommandReaderEvent[] = [];
    if (accepted) this.#readLiteral(state.literal, events);
    else this.#reset();
    if (state.heldLength > 0) events.push(...this.push(Buffer.concat(state.held, state.heldLength)));
    return events;
  }

  #discardLiteral(size: number, command: { readonly error: ImapResponseError; readonly append: boolean }, events: CommandReaderEvent[]): void {
    const { error, append } = command;
    if (size > (append ? (this.limits.maxDiscardedAppendLiteral ?? this.limits.maxDiscardedLiteral) : this.limits.maxDiscardedLiteral)) {
      // RFC 7888 §4: the server may close the connection rather than read a literal it refuses
      this.#closed = true;
      events.push({ kind: 'refused', error: new ImapResponseError(error.status, error.text, { code: error.code, tag: error.tag, closeConnection: true, userFault: true }) });
      return;
    }
    this.#state = { kind: 'discard-literal', remaining: size, error, append };
    if (size === 0) this.#state = { kind: 'discard-line', error, append };
  }

  #finishDiscard(error: ImapResponseError, events: CommandReaderEvent[]): void {
    this.#state = { kind: 'line' };
    events.push({ kind: 'refused', error });
  }

  #literalDone(state: Extract<State, { kind: 'literal' | 'stream-literal' | 'discard-literal' }>): void {
    if (state.kind === 'discard-literal') {
      this.#state = { kind: 'discard-line', error: state.error, append: state.append };
      return;
    }
    if (state.kind === 'stream-literal') this.#literals.push(state.placeholder);
    else this.#literals.push(state.chunks.length === 1 ? (state.chunks[0] as Buffer) : Buffer.concat(state.chunks));
    this.#state = { kind: 'line' };
  }

  #reset(): void {
    this.#lines = [];
    this.#literals = [];
    this.#commandSize = 0;
    this.#state = { kind: 'line' };
  }

  /** The command's tag; none for a line that is no command (the lines mode: the session knows the tag). */
  #tag(first = this.#lines[0] ?? (this.#partial.length > 0 ? Buffer.concat(this.#partial) : undefined)): string | undefined {
    const match = first === undefined || this.mode === 'lines' ? null : TAG.exec(first.toString('latin1', 0, 64));
    return match === null ? undefined : match[0];
  }

  #error(status: 'BAD' | 'NO', text: string, code: 'TOOBIG', closeConnection: boolean, first?: Buffer): ImapResponseError {
    const tag = this.#tag(first);
    return new ImapResponseError(status, text, { code, closeConnection, userFault: true, ...(tag === undefined ? {} : { tag }) });
  }
}

function lastOctets(data: Buffer): Buffer {
  return data.length > TAIL_OCTETS ? Buffer.from(data.subarray(data.length - TAIL_OCTETS)) : data;
}
