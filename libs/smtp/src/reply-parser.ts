// Client side: assemble server replies from lines (RFC 5321 §4.2.1
// multi-line "250-" continuation) and extract enhanced status codes
// (RFC 2034 §4).

import type { SmtpReply } from './reply';

/** The server broke the reply grammar; the client should give up on the connection. */
export class SmtpProtocolError extends Error {
  override name = 'SmtpProtocolError';
  constructor(
    message: string,
    /** The offending line, for the log. */
    readonly line?: string,
  ) {
    super(message);
  }
}

// RFC 5321 §4.2: Reply-code = %x32-35 %x30-35 %x30-39, then "-" (more
// lines follow) or SP / nothing (last line).
const REPLY_LINE = /^([2-5][0-5][0-9])(?:([ -])(.*))?$/s;
// RFC 3463 §2 / RFC 2034 §4: class "." subject "." detail, then one or more spaces
const ENHANCED = /^([245]\.\d{1,3}\.\d{1,3})(?: +|$)/;

/**
 * Incremental reply parser. Feed it lines (without CRLF, e.g. from a
 * LineReader); it returns the reply when its last line arrives.
 */
export class ReplyParser {
  private code: number | undefined;
  private texts: string[] = [];
  private readonly maxLines: number;

  constructor(options: { maxLines?: number } = {}) {
    this.maxLines = options.maxLines ?? 512;
  }

  /** True while a multi-line reply is incomplete. */
  get inProgress(): boolean {
    return this.code !== undefined;
  }

  /** Add one line. Throws {@link SmtpProtocolError} on a malformed line or mixed codes. */
  push(line: string): SmtpReply | undefined {
    const m = REPLY_LINE.exec(line);
    if (!m?.[1]) throw new SmtpProtocolError('malformed reply line', line);
    const code = Number(m[1]);
    // RFC 5321 §4.2.1: every line of a multi-line reply carries the same code
    if (this.code !== undefined && this.code !== code) throw new SmtpProtocolError(`reply code changed from ${this.code} to ${code}`, line);
    this.code = code;
    this.texts.push(m[3] ?? '');
    if (this.texts.length > this.maxLines) throw new SmtpProtocolError(`reply longer than ${this.maxLines} lines`, line);
    if (m[2] === '-') return undefined;
    const reply = withEnhanced(code, this.texts);
    this.code = undefined;
    this.texts = [];
    return reply;
  }
}

/**
 * Split off the enhanced status code when the first line has one that
 * agrees with the reply class (RFC 2034 §4); it is removed from every line
 * that carries it. 3xx replies never have one.
 */
function withEnhanced(code: number, texts: string[]): SmtpReply {
  const first = ENHANCED.exec(texts[0] ?? '');
  const enhanced = first?.[1];
  if (enhanced === undefined || enhanced[0] !== String(code)[0]) return { code, lines: texts };
  const lines = texts.map((t) => {
    const m = ENHANCED.exec(t);
    return m ? t.slice(m[0].length) : t;
  });
  return { code, enhanced, lines };
}
