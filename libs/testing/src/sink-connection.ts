/**
 * One connection of the SMTP sink (smtp-sink.ts): command lines through
 * @mail/smtp's LineReader, DATA through DotUnstuffer, every reply by
 * formatReply, as the sink's current behaviour says.
 */
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { DotUnstuffer, LineReader, SmtpReplyError, formatReply, parseCommand, parseSaslLoginField, parseSaslPlain, parseSaslResponse, type LineEvent, type SmtpCommand } from '@mail/smtp';
import type { RecordingSink, SinkReply, SmtpSinkBehaviour } from './smtp-sink';

/** Where a LOGIN exchange stands. */
type LoginStep = { readonly step: 'user' } | { readonly step: 'password'; readonly user: string };

/** One client connection: command mode through LineReader, DATA through DotUnstuffer. */
export class SinkConnection {
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
    const { holdData, holdDataFor } = this.sink.behaviour;
    if (holdData === true || (holdDataFor?.some((recipient) => this.rcptTo.includes(recipient)) ?? false)) this.sink.held.push(go);
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
