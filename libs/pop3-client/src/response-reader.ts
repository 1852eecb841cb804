/**
 * Framing of the server's side of a POP3 connection, without sockets:
 * octets in, status lines and multi-line bodies out (RFC 1939 §3). A body is
 * handed out as it travelled — byte-stuffed, through its terminator line —
 * so a caller can check the stuffing and unstuff with @mail/pop3's
 * `unstuffMultiline`. Incoming octets go into one growing buffer and each
 * is searched once, so a body of tens of MiB costs linear time.
 */
import { Pop3ProtocolError } from './errors';

/** RFC 2449 §4 allows 512 octets; longer ones are tolerated up to here, then the server is talking nonsense. */
const MAX_STATUS_LINE = 4096;
const LF = 0x0a;
/** RFC 1939 §3: the terminator is a line holding only "." after a CRLF. */
const TERMINATOR = Buffer.from('\r\n.\r\n', 'latin1');
/** An empty body: the terminator line right after the status line. */
const EMPTY_BODY = Buffer.from('.\r\n', 'latin1');

export class ResponseReader {
  #data = Buffer.alloc(16 * 1024);
  #start = 0;
  #end = 0;
  /** Offset (from #start) up to which the current body was searched for its terminator. */
  #searched = 0;

  /** Octets received and not yet taken. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  push(chunk: Uint8Array): void {
    this.#reserve(chunk.length);
    this.#data.set(chunk, this.#end);
    this.#end += chunk.length;
  }

  /** The next line without its line end, or undefined until it is complete. @throws Pop3ProtocolError when it grows too long */
  takeLine(): string | undefined {
    const lf = this.#data.subarray(this.#start, this.#end).indexOf(LF);
    if (lf === -1) {
      if (this.buffered > MAX_STATUS_LINE) throw new Pop3ProtocolError(`status line longer than ${MAX_STATUS_LINE} octets`);
      return undefined;
    }
    const line = this.#take(lf + 1).toString('utf8');
    // RFC 1939 §3: lines end with CRLF; a bare LF is taken too
    return line.endsWith('\r\n') ? line.slice(0, -2) : line.slice(0, -1);
  }

  /** The next multi-line body as sent (stuffed, terminator line included), or undefined until it is complete. */
  takeMultiline(): Buffer | undefined {
    const pending = this.#data.subarray(this.#start, this.#end);
    if (pending.length >= EMPTY_BODY.length && pending.subarray(0, EMPTY_BODY.length).equals(EMPTY_BODY)) return this.#take(EMPTY_BODY.length);
    const at = pending.indexOf(TERMINATOR, Math.max(0, this.#searched - TERMINATOR.length + 1));
    if (at === -1) {
      this.#searched = pending.length;
      return undefined;
    }
    return this.#take(at + TERMINATOR.length);
  }

  /** A copy of the next `length` octets: the buffer is reused afterwards. */
  #take(length: number): Buffer {
    const taken = Buffer.from(this.#data.subarray(this.#start, this.#start + length));
    this.#start += length;
    this.#searched = 0;
    if (this.#start === this.#end) this.#start = this.#end = 0;
    return taken;
  }

  /** Room for `more` octets at the end: move what is left to the front, or grow (doubling, so appends are linear overall). */
  #reserve(more: number): void {
    if (this.#end + more <= this.#data.length) return;
    const used = this.buffered;
    const target = used + more > this.#data.length / 2 ? Buffer.allocUnsafe(Math.max(this.#data.length * 2, used + more)) : this.#data;
    this.#data.copy(target, 0, this.#start, this.#end);
    this.#data = target;
    this.#start = 0;
    this.#end = used;
  }
}
