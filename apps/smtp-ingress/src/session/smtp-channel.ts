/**
 * The part of an SMTP connection that command handlers use: one reply
 * function, command lines, DATA, BDAT chunks and the STARTTLS upgrade.
 * SmtpTransport implements it over a socket; the unit-test harness over a
 * byte string.
 */
import type { SecureContext } from 'node:tls';
import type { LineEvent } from '@mail/smtp';

/** What the end of DATA revealed about the data (see DotUnstuffer). */
export interface DataOutcome {
  readonly size: number;
  readonly bareLineEndings: boolean;
  /** The longest line, in octets including its CRLF (a stuffed dot not counted). */
  readonly longestLine: number;
}

/** The connection as handlers see it. */
export interface SmtpChannel {
  readonly tlsActive: boolean;
  /** Write one reply (RFC 5321 §4.2); rejects with ConnectionClosedError. */
  reply(code: number, enhanced: string | undefined, text: string | string[]): Promise<void>;
  /**
   * The next command line; undefined once input has ended or was
   * interrupted. `maxLineLength` raises the limit for one line of an AUTH
   * exchange (MAX_AUTH_LINE, RFC 4954 §4); default MAX_COMMAND_LINE.
   */
  nextLine(maxLineLength?: number): Promise<LineEvent | undefined>;
  /** Read DATA up to <CRLF>.<CRLF>, giving unstuffed body chunks to `sink`. */
  readData(sink: (chunk: Buffer) => void): Promise<DataOutcome>;
  /** Read one BDAT chunk of exactly `size` octets, giving them to `sink`. */
  readChunk(size: number, sink: (chunk: Buffer) => void): Promise<void>;
  /** Drop pending input, run `announce` (the 220), then do the server side of the TLS handshake. */
  startTls(secureContext: SecureContext, announce: () => Promise<void>): Promise<void>;
}
