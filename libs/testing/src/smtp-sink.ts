/**
 * A real SMTP server on loopback that records what it receives, for
 * integration tests of SMTP clients (the outbound relay). It speaks the
 * protocol through @mail/smtp's server side — LineReader for command lines,
 * DotUnstuffer for DATA, formatReply for every reply — and answers with
 * whatever the test asks: a chosen code for given RCPT addresses, for MAIL or
 * DATA (once, or a sequence such as 451 then 250), no EHLO, no PIPELINING or
 * SIZE, 8BITMIME or SMTPUTF8, DSN (RFC 3461) on request, STARTTLS (RFC 3207)
 * when given a certificate (or TLS from the first octet, RFC 8314 §3.3),
 * AUTH PLAIN and LOGIN required before MAIL when given credentials (RFC
 * 4954; offered only over TLS when the sink has a certificate), DATA held until the test releases it, or
 * connections refused. Several sinks can share one port on
 * different loopback addresses (127.0.0.2, 127.0.0.3, … on Linux), so MX
 * preference can be tested with one OUTBOUND_SMTP_PORT.
 */
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { TLSSocket, createSecureContext, type SecureContext, type SecureVersion } from 'node:tls';
import { SinkConnection } from './sink-connection';

/** A reply the sink gives: a code, or a code with enhanced status and text. */
export type SinkReply = number | { readonly code: number; readonly enhanced?: string; readonly text?: string };
/** One reply for every occurrence, or successive replies (then the default). */
export type SinkReplies = SinkReply | readonly SinkReply[];

/** How the sink behaves; every field can be changed while it runs with `setBehaviour`. */
export interface SmtpSinkBehaviour {
  /** Close every connection at once, before the greeting. */
  readonly refuseConnections?: boolean;
  /** Greeting reply (default 220). */
  readonly greeting?: SinkReplies;
  /** Answer EHLO with 502 so the client must fall back to HELO (RFC 5321 §4.1.1.1). Default true. */
  readonly ehlo?: boolean;
  /** Advertise PIPELINING (RFC 2920). Default true. */
  readonly pipelining?: boolean;
  /** Advertise SIZE with this limit (RFC 1870 §4); false: do not advertise. Default 10 MiB. */
  readonly size?: number | false;
  /** Reply to MAIL FROM (default 250). */
  readonly mail?: SinkReplies;
  /** Replies to RCPT TO by address (matched case-insensitively); others get 250. */
  readonly rcpt?: Readonly<Record<string, SinkReplies>>;
  /** Reply to the DATA command itself (default 354). */
  readonly dataStart?: SinkReplies;
  /** Reply after the end of data (default 250). */
  readonly data?: SinkReplies;
  /** Advertise 8BITMIME (RFC 6152). Default true. */
  readonly eightBitMime?: boolean;
  /** Advertise SMTPUTF8 (RFC 6531). Default true. */
  readonly smtputf8?: boolean;
  /** Advertise DSN (RFC 3461) and record NOTIFY/ORCPT. Default false. */
  readonly dsn?: boolean;
  /** Advertise STARTTLS when the sink has a certificate (RFC 3207). Default true. */
  readonly starttls?: boolean;
  /** Hold every DATA command unanswered until `releaseHeld()`: a transaction in progress, as long as the test wants. */
  readonly holdData?: boolean;
  /** Hold the DATA command of a transaction to any of these recipients, as `holdData` does (the others go through). */
  readonly holdDataFor?: readonly string[];
}

/** A transaction whose data the sink received, whatever it replied. */
export interface SinkTransaction {
  readonly connectionId: number;
  readonly helo: string;
  /** Reverse-path without brackets; '' for `<>`. */
  readonly mailFrom: string;
  readonly mailParams: Readonly<Record<string, string | true>>;
  /** Recipients the sink accepted (2xx), in order. */
  readonly rcptTo: readonly string[];
  /** The message as received, dot-stuffing removed. */
  readonly data: Buffer;
  /** The code replied after the end of data. */
  readonly reply: number;
  /** RCPT TO parameters by accepted recipient (NOTIFY, ORCPT). */
  readonly rcptParams: Readonly<Record<string, Readonly<Record<string, string | true>>>>;
  /** The transaction ran over TLS (after STARTTLS, or implicit TLS). */
  readonly tls: boolean;
  /** The user the client authenticated as (AUTH), when it did. */
  readonly authenticatedAs?: string;
}

/** Where to listen (default 127.0.0.1, port 0: any free one), how to behave, and a PEM certificate and key for STARTTLS. */
export type SmtpSinkOptions = {
  readonly host?: string;
  readonly port?: number;
  readonly behaviour?: SmtpSinkBehaviour;
  /** `maxVersion` below TLSv1.2 makes every handshake with a modern client fail (a broken TLS server). */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer; readonly maxVersion?: SecureVersion };
  /** With `tls`: TLS from the first octet (RFC 8314 §3.3, a port 465 listener) instead of STARTTLS. */
  readonly implicitTls?: boolean;
  /** Credentials the sink requires before MAIL (530 otherwise); `mechanisms` advertised, default PLAIN and LOGIN. */
  readonly auth?: SinkCredentials;
};

/** The one user a sink accepts with AUTH. */
export interface SinkCredentials {
  readonly user: string;
  readonly password: string;
  readonly mechanisms?: readonly ('PLAIN' | 'LOGIN')[];
}

export interface SmtpSink extends AsyncDisposable {
  readonly host: string;
  readonly port: number;
  /** Every transaction that reached the end of data, in order. */
  readonly transactions: SinkTransaction[];
  /** Every command line received, with its connection; `batched`: more input had already arrived (RFC 2920 pipelining). */
  readonly commands: { connectionId: number; line: string; batched: boolean }[];
  /** Connections accepted so far (refused ones included). */
  readonly connectionCount: number;
  /** Transactions the sink accepted with 250 after the end of data. */
  delivered(): SinkTransaction[];
  /** DATA commands waiting for `releaseHeld()` (behaviour holdData). */
  readonly heldCount: number;
  /** The most transactions (MAIL accepted, not yet ended) open at once, over all connections. */
  readonly peakTransactions: number;
  /** Answers every held DATA command (354) and lets those transactions go on. */
  releaseHeld(): void;
  /** Changes the behaviour for what happens next; reply sequences restart. */
  setBehaviour(patch: SmtpSinkBehaviour): void;
  close(): Promise<void>;
}

/** Starts a sink on `host` (default 127.0.0.1) and `port` (default 0: any free port). */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const tls = options.tls;
  const secureContext = tls ? createSecureContext({ cert: tls.cert, key: tls.key, ...(tls.maxVersion ? { maxVersion: tls.maxVersion, minVersion: 'TLSv1' } : {}) }) : undefined;
  const sink = new RecordingSink(options.host ?? '127.0.0.1', options.behaviour ?? {}, secureContext, options.implicitTls === true && secureContext !== undefined, options.auth);
  await sink.listen(options.port ?? 0);
  return sink;
}

/** The running sink: what every connection records into and takes its behaviour from. */
export class RecordingSink implements SmtpSink {
  readonly transactions: SinkTransaction[] = [];
  readonly commands: { connectionId: number; line: string; batched: boolean }[] = [];
  connectionCount = 0;
  port = 0;
  openTransactions = 0;
  peakTransactions = 0;
  readonly held: (() => void)[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly used = new Map<string, number>();

  constructor(
    readonly host: string,
    public behaviour: SmtpSinkBehaviour,
    readonly secureContext: SecureContext | undefined,
    readonly implicitTls: boolean,
    readonly credentials: SinkCredentials | undefined,
  ) {
    this.server = createServer((socket) => this.accept(socket));
  }

  get heldCount(): number {
    return this.held.length;
  }

  releaseHeld(): void {
    for (const release of this.held.splice(0)) release();
  }

  /** A transaction opened (+1) or ended (-1). */
  transactionCount(delta: number): void {
    this.openTransactions += delta;
    this.peakTransactions = Math.max(this.peakTransactions, this.openTransactions);
  }

  async listen(port: number): Promise<void> {
    this.server.listen(port, this.host);
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
  }

  delivered = (): SinkTransaction[] => this.transactions.filter((t) => t.reply === 250);

  setBehaviour(patch: SmtpSinkBehaviour): void {
    this.behaviour = { ...this.behaviour, ...patch };
    this.used.clear();
  }

  /** The next reply for `key` from the behaviour, or undefined for the default. */
  pick(key: string, replies: SinkReplies | undefined): SinkReply | undefined {
    if (!Array.isArray(replies)) return replies as SinkReply | undefined;
    const n = this.used.get(key) ?? 0;
    this.used.set(key, n + 1);
    return (replies as readonly SinkReply[])[n];
  }

  private accept(socket: Socket): void {
    const id = ++this.connectionCount;
    socket.on('error', () => undefined);
    if (this.behaviour.refuseConnections) return void socket.destroy();
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    if (!this.implicitTls || !this.secureContext) return new SinkConnection(this, socket, id, false).start();
    // RFC 8314 §3.3: the TLS handshake first, then the greeting
    const secure = new TLSSocket(socket, { isServer: true, secureContext: this.secureContext });
    secure.on('error', () => socket.destroy());
    secure.once('secure', () => new SinkConnection(this, secure, id, true).start());
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  [Symbol.asyncDispose] = (): Promise<void> => this.close();
}
