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
import { DotUnstuffer, LineReader, SmtpReplyError, formatReply, parseCommand, parseSaslLoginField, parseSaslPlain, parseSaslResponse, type LineEvent, type SmtpCommand } from '@mail/smtp';

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

class RecordingSink implements SmtpSink {
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

/** Where a LOGIN exchange stands. */
type LoginStep = { readonly step: 'user' } | { readonly step: 'password'; readonly user: string };

/** One client connection: command mode through LineReader, DATA through DotUnstuffer. */
class SinkConnection {
  private reader = new LineReader();
  private unstuffer: DotUnstuffer | undefined;
  private chunks: Buffer[] = [];
  private helo = '';
  private mailFrom: string | undefined;
  private mailParams: Record<string, string | true> = {};
  private rcptTo: string[] = [];
  private rcptParams: Record<string, Record<string, string | true>> = {};
  /** The user logged in with AUTH. */
  private authenticatedAs: string | undefined;
  /** The LOGIN exchange waits for this answer (draft-murchison-sasl-login §2.1). */
  private login: LoginStep | undefined;
  private readonly onData = (chunk: Buffer) => this.receive(chunk);

  constructor(
    private readonly sink: RecordingSink,
    private socket: Socket,
    private readonly id: number,
    private tls: boolean,
  ) {
    socket.once('close', () => this.resetTransaction());
  }

  start(): void {
    this.socket.on('data', this.onData);
    const greeting = this.sink.pick('greeting', this.sink.behaviour.greeting);
    this.reply(greeting, 220, undefined, `${this.sink.host} ESMTP test sink`);
    // RFC 5321 §3.1: a server refusing service greets 554 (here: any non-220) and may close
    if (greeting !== undefined && codeOf(greeting) !== 220) this.socket.end();
  }

  private receive(chunk: Buffer): void {
    let input: Buffer | undefined = chunk;
    while (input !== undefined && input.length > 0 && !this.socket.destroyed) {
      if (this.unstuffer) {
        input = this.receiveData(this.unstuffer, input);
        continue;
      }
      this.reader.push(input);
      input = undefined;
      for (let event = this.reader.next(); event; event = this.reader.next()) {
        this.onLine(event);
        if (this.unstuffer) {
          input = this.reader.takeRest();
          break;
        }
      }
    }
  }

  /** Feeds DATA bytes; returns the bytes after the end of data (pipelined commands), if it ended. */
  private receiveData(unstuffer: DotUnstuffer, input: Buffer): Buffer | undefined {
    const result = unstuffer.push(input);
    this.chunks.push(...result.body);
    if (!result.ended) return undefined;
    this.unstuffer = undefined;
    const chosen = this.sink.pick('data', this.sink.behaviour.data);
    const { id: connectionId, helo, mailParams, rcptTo } = this;
    const reply = chosen === undefined ? 250 : codeOf(chosen);
    const { rcptParams, tls, authenticatedAs } = this;
    const auth = authenticatedAs === undefined ? {} : { authenticatedAs };
    this.sink.transactions.push({ connectionId, helo, mailFrom: this.mailFrom ?? '', mailParams, rcptTo, rcptParams, tls, ...auth, data: Buffer.concat(this.chunks), reply });
    this.resetTransaction();
    this.reply(chosen, 250, '2.0.0', `Ok: queued as ${this.id}.${this.sink.transactions.length}`);
    return result.rest ?? Buffer.alloc(0);
  }

  private onLine(event: LineEvent): void {
    if (event.kind === 'too-long') return this.write(formatReply(500, '5.5.2', 'Line too long'));
    this.sink.commands.push({ connectionId: this.id, line: event.text, batched: this.reader.buffered > 0 });
    try {
      if (this.login) return this.onLoginAnswer(event.text, this.login);
      this.onCommand(parseCommand(event.text, { utf8: true }));
    } catch (error) {
      if (!(error instanceof SmtpReplyError)) throw error;
      this.write(error.toWire());
    }
  }

  private onCommand(command: SmtpCommand): void {
    const settings = this.sink.behaviour;
    switch (command.kind) {
      case 'EHLO':
        if (settings.ehlo === false) return this.write(formatReply(502, '5.5.1', 'EHLO not implemented'));
        this.helo = command.domain;
        this.resetTransaction();
        return this.write(formatReply(250, undefined, this.extensions(settings)));
      case 'HELO':
        this.helo = command.domain;
        this.resetTransaction();
        return this.write(formatReply(250, undefined, this.sink.host));
      case 'MAIL':
        return this.onMail(command.path?.address ?? '', command.params);
      case 'RCPT':
        return this.onRcpt(command.path.address, command.params);
      case 'STARTTLS':
        return this.onStartTls();
      case 'AUTH':
        return this.onAuth(command.mechanism, command.initialResponse);
      case 'DATA':
        return this.onDataCommand();
      case 'RSET':
      case 'NOOP':
        if (command.kind === 'RSET') this.resetTransaction();
        return this.write(formatReply(250, '2.0.0', 'Ok'));
      case 'QUIT':
        return void this.socket.end(formatReply(221, '2.0.0', 'Bye'));
      default:
        return this.write(formatReply(502, '5.5.1', 'Command not implemented'));
    }
  }

  private extensions(settings: SmtpSinkBehaviour): string[] {
    const lines = [`${this.sink.host} greets ${this.helo}`, 'ENHANCEDSTATUSCODES'];
    if (settings.eightBitMime !== false) lines.push('8BITMIME');
    if (settings.smtputf8 !== false) lines.push('SMTPUTF8');
    if (settings.dsn === true) lines.push('DSN');
    if (this.offersStartTls()) lines.push('STARTTLS');
    if (this.offersAuth()) lines.push(`AUTH ${(this.sink.credentials?.mechanisms ?? ['PLAIN', 'LOGIN']).join(' ')}`);
    if (settings.pipelining !== false) lines.push('PIPELINING');
    const size = settings.size ?? 10 * 1024 * 1024;
    if (size !== false) lines.push(`SIZE ${size}`);
    return lines;
  }

  private onMail(from: string, params: ReadonlyMap<string, string | true>): void {
    // RFC 5321 §4.1.4: MAIL needs a preceding EHLO/HELO and no open transaction
    if (this.helo === '' || this.mailFrom !== undefined) return this.write(formatReply(503, '5.5.1', 'Bad sequence of commands'));
    // RFC 4954 §6: 530 5.7.0 Authentication required
    if (this.sink.credentials && this.authenticatedAs === undefined) return this.write(formatReply(530, '5.7.0', 'Authentication required'));
    const chosen = this.sink.pick('mail', this.sink.behaviour.mail);
    if (chosen === undefined || isPositive(chosen)) {
      this.mailFrom = from;
      this.mailParams = Object.fromEntries(params);
      this.sink.transactionCount(1);
    }
    this.reply(chosen, 250, '2.1.0', 'Sender ok');
  }

  private onRcpt(address: string, params: ReadonlyMap<string, string | true>): void {
    if (this.mailFrom === undefined) return this.write(formatReply(503, '5.5.1', 'Need MAIL before RCPT'));
    const key = address.toLowerCase();
    const configured = Object.entries(this.sink.behaviour.rcpt ?? {}).find(([a]) => a.toLowerCase() === key)?.[1];
    const chosen = this.sink.pick(`rcpt:${key}`, configured);
    if (chosen === undefined || isPositive(chosen)) {
      this.rcptTo.push(address);
      if (params.size > 0) this.rcptParams[address] = Object.fromEntries(params);
    }
    this.reply(chosen, 250, '2.1.5', 'Recipient ok');
  }

  private offersStartTls(): boolean {
    return this.sink.secureContext !== undefined && !this.tls && this.sink.behaviour.starttls !== false;
  }

  /** RFC 4954 §4: AUTH after EHLO, once, over TLS when the sink has a certificate (RFC 3207 §4); never in a transaction. */
  private offersAuth(): boolean {
    return this.sink.credentials !== undefined && this.authenticatedAs === undefined && (this.tls || this.sink.secureContext === undefined);
  }

  private onAuth(mechanism: string, initialResponse: string | undefined): void {
    const offered = this.sink.credentials?.mechanisms ?? ['PLAIN', 'LOGIN'];
    if (!this.offersAuth() || this.helo === '' || this.mailFrom !== undefined) return this.write(formatReply(503, '5.5.1', 'AUTH not available now'));
    // RFC 4954 §4: 504 for a mechanism the server does not support
    if (!(offered as readonly string[]).includes(mechanism)) return this.write(formatReply(504, '5.5.4', 'Unrecognized authentication type'));
    if (mechanism === 'LOGIN') {
      this.login = { step: 'user' };
      return this.write(formatReply(334, undefined, Buffer.from('Username:').toString('base64')));
    }
    if (initialResponse === undefined) return this.write(formatReply(501, '5.5.2', 'the sink wants PLAIN with an initial response'));
    const { authcid, password } = parseSaslPlain(Buffer.from(initialResponse, 'base64'));
    this.checkCredentials(authcid, password);
  }

  /** The user name, then the password, of a LOGIN exchange. */
  private onLoginAnswer(line: string, login: LoginStep): void {
    this.login = undefined;
    const answer = parseSaslResponse(line);
    if (answer.cancelled) return this.write(formatReply(501, '5.7.0', 'Authentication canceled'));
    if (login.step === 'user') {
      this.login = { step: 'password', user: parseSaslLoginField(answer.data, 'user name') };
      return this.write(formatReply(334, undefined, Buffer.from('Password:').toString('base64')));
    }
    this.checkCredentials(login.user, parseSaslLoginField(answer.data, 'password'));
  }

  /** RFC 4954 §6: 235 2.7.0 on success, 535 5.7.8 for wrong credentials. */
  private checkCredentials(user: string, password: string): void {
    const expected = this.sink.credentials;
    if (!expected || user !== expected.user || password !== expected.password) return this.write(formatReply(535, '5.7.8', 'Authentication credentials invalid'));
    this.authenticatedAs = user;
    this.write(formatReply(235, '2.7.0', 'Authentication successful'));
  }

  /** RFC 3207 §4: 220, then the TLS handshake; the session starts over (§4.2: the client must say EHLO again). */
  private onStartTls(): void {
    if (!this.offersStartTls() || !this.sink.secureContext) return this.write(formatReply(502, '5.5.1', 'STARTTLS not available'));
    this.write(formatReply(220, '2.0.0', 'Ready to start TLS'));
    const plain = this.socket;
    plain.off('data', this.onData);
    const secure = new TLSSocket(plain, { isServer: true, secureContext: this.sink.secureContext });
    secure.on('error', () => plain.destroy());
    secure.on('data', this.onData);
    this.socket = secure;
    this.tls = true;
    // RFC 3207 §4.2: discard what came before TLS (anything pipelined after STARTTLS would be an injection)
    this.reader = new LineReader();
    this.helo = '';
    this.resetTransaction();
  }

  private onDataCommand(): void {
    // RFC 5321 §3.3: DATA without a valid recipient gets 503 or 554
    if (this.rcptTo.length === 0) return this.write(formatReply(554, '5.5.1', 'No valid recipients'));
    const chosen = this.sink.pick('dataStart', this.sink.behaviour.dataStart);
    if (chosen !== undefined && codeOf(chosen) !== 354) {
      this.resetTransaction();
      return this.reply(chosen, 354, undefined, '');
    }
    this.unstuffer = new DotUnstuffer();
    const go = () => this.write(formatReply(354, undefined, 'End data with <CR><LF>.<CR><LF>'));
    if (this.sink.behaviour.holdData) this.sink.held.push(go);
    else go();
  }

  private resetTransaction(): void {
    if (this.mailFrom !== undefined) this.sink.transactionCount(-1);
    this.mailFrom = undefined;
    this.mailParams = {};
    this.rcptTo = [];
    this.rcptParams = {};
    this.chunks = [];
  }

  /** Writes the chosen reply, or the default one; 421 also closes the connection (RFC 5321 §3.8). */
  private reply(chosen: SinkReply | undefined, code: number, enhanced: string | undefined, text: string): void {
    if (chosen === undefined) return this.write(formatReply(code, enhanced, text));
    const given = typeof chosen === 'number' ? { code: chosen } : chosen;
    const fallbackEnhanced = given.code >= 400 ? '0.0' : undefined;
    this.write(formatReply(given.code, given.enhanced ?? fallbackEnhanced, given.text ?? `Test sink replies ${given.code}`));
    if (given.code === 421) this.socket.end();
  }

  private write(text: string): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(text);
  }
}

const codeOf = (reply: SinkReply): number => (typeof reply === 'number' ? reply : reply.code);
const isPositive = (reply: SinkReply): boolean => codeOf(reply) >= 200 && codeOf(reply) < 300;
