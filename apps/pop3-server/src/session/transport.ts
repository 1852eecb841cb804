/**
 * The byte side of one POP3 connection: frames client input into command
 * lines (RFC 1939 §3, with RFC 2449 §6.6 pipelining: lines queue up and are
 * taken one at a time), writes replies with socket backpressure, runs the
 * autologout timer, and upgrades the connection to TLS for STLS (RFC 2595).
 * The socket work is @mail/tcp-session's FramedTransport, shared with imap-server.
 */
import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { CommandLineSplitter, type Pop3InputLine } from '@mail/pop3';
import { FramedTransport } from '@mail/tcp-session';

/** The part of a transport that command handlers use. */
export interface Pop3Channel {
  /** Whether TLS is active on the connection (after STLS). */
  readonly tlsActive: boolean;
  /** Writes bytes; resolves once the socket accepts more, rejects with ConnectionClosedError. */
  write(data: string | Uint8Array): Promise<void>;
  /** The next client line in order; undefined once the connection is closed or being drained. */
  nextLine(): Promise<Pop3InputLine | undefined>;
  /** Longest accepted input line, CRLF included (raised during SASL exchanges). */
  maxLineOctets: number;
  /**
   * Discards pending input, stops reading, runs `announce` (which writes the
   * `+OK`) and performs the server side of the TLS handshake (RFC 2595 §4).
   * @throws ConnectionClosedError if the handshake fails.
   */
  startTls(secureContext: SecureContext, announce: () => Promise<void>): Promise<void>;
}

/** Settings of a transport. */
export interface TransportOptions {
  /** Inactivity before `onIdle` is called (RFC 1939 §3 autologout timer). */
  readonly idleTimeoutMs: number;
  /** Queued lines at which reading pauses until the session catches up. */
  readonly maxQueuedLines: number;
  /** Called when the autologout timer expires. */
  readonly onIdle: () => void;
  /** The socket is TLS from the first byte (POP3S, RFC 8314 §3.3): STLS is not offered. */
  readonly implicitTls?: boolean;
}

/** A POP3 connection's framing and output, over a plain or TLS socket. */
export class Pop3Transport extends FramedTransport<Pop3InputLine, CommandLineSplitter> implements Pop3Channel {
  constructor(socket: Socket, options: TransportOptions) {
    const { maxQueuedLines, ...rest } = options;
    // STLS starts a fresh splitter at the default line length (RFC 2595 §4: nothing from before the handshake carries over)
    super(socket, { ...rest, maxQueued: maxQueuedLines, newFramer: () => new CommandLineSplitter() });
  }

  get maxLineOctets(): number {
    return this.framer.maxLineOctets;
  }

  set maxLineOctets(value: number) {
    this.framer.maxLineOctets = value;
  }

  nextLine(): Promise<Pop3InputLine | undefined> {
    return this.nextInput();
  }
}
