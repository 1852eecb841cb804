/**
 * An SMTP client session with one server, up to the point where mail
 * transactions can start: the greeting (RFC 5321 §3.1), EHLO with its
 * extensions (RFC 5321 §4.1.1.1), HELO when EHLO is refused (RFC 5321 §3.2),
 * STARTTLS and a second EHLO (RFC 3207) or implicit TLS (RFC 8314 §3.3),
 * AUTH PLAIN or LOGIN for submission and smarthosts (RFC 4954, RFC 4616,
 * draft-murchison-sasl-login), and at the end RSET (to reuse the session)
 * or QUIT (RFC 5321 §4.1.1.10).
 */
import { formatCommand, isPositiveCompletion, parseEhloCapabilities, type ClientCommand, type EhloCapabilities, type SmtpReply } from '@mail/smtp';
import { SmtpConnection, type SmtpTarget, type TlsFacts } from './connection';
import { SmtpAuthUnavailableError, SmtpSessionRefusedError, SmtpTlsError } from './errors';

/** Client time limits in ms (see {@link rfc5321Timeouts}). */
export interface SmtpTimeouts {
  readonly connectMs: number;
  /** §4.5.3.2.1: initial 220 message, 5 minutes. */
  readonly greetingMs: number;
  /** §4.5.3.2.2-3: MAIL and RCPT, 5 minutes (also EHLO, RSET, QUIT). */
  readonly commandMs: number;
  /** §4.5.3.2.4: DATA initiation, 2 minutes. */
  readonly dataInitMs: number;
  /** §4.5.3.2.5: each data block sent, 3 minutes. */
  readonly dataBlockMs: number;
  /** §4.5.3.2.6: DATA termination, 10 minutes. */
  readonly dataEndMs: number;
}

/** RFC 5321 §4.5.3.2's time limits, and 30 s to connect (the RFC sets none). */
export const rfc5321Timeouts: SmtpTimeouts = {
  connectMs: 30_000,
  greetingMs: 5 * 60_000,
  commandMs: 5 * 60_000,
  dataInitMs: 2 * 60_000,
  dataBlockMs: 3 * 60_000,
  dataEndMs: 10 * 60_000,
};

/** A user name and password for AUTH PLAIN or LOGIN. */
export interface SmtpCredentials {
  readonly user: string;
  readonly password: string;
}

export interface SessionOptions {
  /** Our name in EHLO/HELO (the relay's MAIL_HOSTNAME). */
  readonly heloName: string;
  readonly timeouts: SmtpTimeouts;
  /**
   * Upgrade with STARTTLS when the server offers it (default true:
   * opportunistic TLS, RFC 7435). false stays in the clear unless the target
   * requires TLS: load generators and tests that talk to a plain listener.
   */
  readonly startTls?: boolean;
  /**
   * TLS from the first octet (RFC 8314 §3.3, port 465) instead of STARTTLS;
   * verified when the target requires TLS. Never retried in the clear.
   */
  readonly implicitTls?: boolean;
  /** PEM certificate authority trusted besides Node's bundled roots when verifying the server (a smarthost's private CA). */
  readonly tlsCa?: string | Buffer;
  /**
   * Log in after EHLO (message submission, RFC 6409 §4.3; a smarthost) with
   * AUTH PLAIN, or LOGIN when the server offers only that. The credentials go
   * only over TLS, unless `startTls` is false (a plain loopback listener
   * chosen by the caller): a server without STARTTLS, or one that offers no
   * AUTH mechanism we speak, fails the session before anything is sent.
   */
  readonly auth?: SmtpCredentials;
}

/** Liveness probe of an idle session before reuse: short, a dead peer should not hold a delivery for minutes. */
const PROBE_TIMEOUT_MS = 10_000;
/** How long to wait for the 221 after QUIT before closing anyway. */
const QUIT_TIMEOUT_MS = 5_000;

export class SmtpSession {
  /** Mail transactions completed on this session (for connection reuse limits and logs). */
  transactions = 0;
  readonly openedAt = Date.now();

  constructor(
    readonly connection: SmtpConnection,
    readonly timeouts: SmtpTimeouts,
    /** Extensions from the EHLO reply; empty after HELO. */
    readonly capabilities: EhloCapabilities,
  ) {}

  get target(): SmtpTarget {
    return this.connection.target;
  }

  get usable(): boolean {
    return this.connection.usable;
  }

  /** The TLS protection of the session, when STARTTLS succeeded. */
  get tls(): TlsFacts | undefined {
    return this.connection.tls;
  }

  /** RFC 2920: the server accepts commands in batches. */
  get pipelining(): boolean {
    return this.capabilities.has('PIPELINING');
  }

  /** RFC 1870 §4: SIZE offered; `limit` 0 or absent means no fixed limit. */
  get size(): { offered: boolean; limit: number } {
    const params = this.capabilities.get('SIZE');
    const limit = Number(params?.[0] ?? 0);
    return { offered: params !== undefined, limit: Number.isSafeInteger(limit) && limit > 0 ? limit : 0 };
  }

  /** Sends one command and reads its reply. */
  async command(command: ClientCommand, timeoutMs = this.timeouts.commandMs): Promise<SmtpReply> {
    await this.connection.write(formatCommand(command), timeoutMs, command.kind);
    return this.connection.readReply(timeoutMs, command.kind);
  }

  /** RFC 5321 §4.1.1.5: RSET before reusing the session; false when the server is gone or refuses. */
  async reset(): Promise<boolean> {
    try {
      return isPositiveCompletion((await this.command({ kind: 'RSET' }, Math.min(PROBE_TIMEOUT_MS, this.timeouts.commandMs))).code);
    } catch {
      return false;
    }
  }

  /** RFC 5321 §4.1.1.10: QUIT, wait briefly for the 221, close. Never throws. */
  async quit(): Promise<void> {
    try {
      if (this.usable) await this.command({ kind: 'QUIT' }, Math.min(QUIT_TIMEOUT_MS, this.timeouts.commandMs));
    } catch {
      // The server may close first; the session is over either way.
    } finally {
      this.connection.destroy();
    }
  }

  destroy(): void {
    this.connection.destroy();
  }
}

/**
 * Connects and greets: waits for 220, sends EHLO, falls back to HELO when
 * EHLO gets a 5xx (RFC 5321 §3.2), then upgrades to TLS when the server
 * offers STARTTLS (RFC 3207) and says EHLO again. When the destination
 * requires TLS, a server without STARTTLS or with an invalid certificate is
 * a failure; otherwise a failed handshake is retried once in the clear on a
 * new connection (opportunistic TLS, RFC 7435 §3: never less delivery than
 * without TLS). Throws SmtpConnectionError (SmtpTlsError, SmtpTimeoutError),
 * SmtpProtocolError or SmtpSessionRefusedError; the connection is closed then.
 */
export async function openSession(target: SmtpTarget, options: SessionOptions): Promise<SmtpSession> {
  try {
    return await connectAndGreet(target, options, options.startTls !== false);
  } catch (error) {
    // Credentials never fall back to the clear, and implicit TLS has no clear to fall back to
    const clearAllowed = !target.requireTls && !options.implicitTls && !(options.auth && options.startTls !== false);
    if (!(error instanceof SmtpTlsError) || !clearAllowed) throw error;
    return connectAndGreet(target, options, false);
  }
}

async function connectAndGreet(target: SmtpTarget, options: SessionOptions, useTls: boolean): Promise<SmtpSession> {
  const { timeouts } = options;
  const connection = await SmtpConnection.open(target, timeouts.connectMs);
  try {
    // RFC 8314 §3.3: implicit TLS, the handshake before the greeting
    if (options.implicitTls) await connection.startTls(target.requireTls === true, timeouts.greetingMs, options.tlsCa);
    // RFC 5321 §3.1: 220 greets; 554 (or anything else) means no service here
    const greeting = await connection.readReply(timeouts.greetingMs, 'the greeting');
    if (greeting.code !== 220) throw new SmtpSessionRefusedError('greeting', greeting);
    const greeted = await hello(connection, options, true);
    const session = !options.implicitTls && (useTls || target.requireTls) ? await startTls(greeted, options) : greeted;
    if (options.auth) await authenticate(session, options.auth, options.startTls === false);
    return session;
  } catch (error) {
    await new SmtpSession(connection, timeouts, new Map()).quit();
    throw error;
  }
}

/** EHLO, or HELO when EHLO is refused with 5xx and `heloFallback` (RFC 5321 §3.2). */
async function hello(connection: SmtpConnection, options: SessionOptions, heloFallback: boolean): Promise<SmtpSession> {
  const { timeouts, heloName } = options;
  const session = new SmtpSession(connection, timeouts, new Map());
  const ehlo = await session.command({ kind: 'EHLO', domain: heloName });
  if (isPositiveCompletion(ehlo.code)) return new SmtpSession(connection, timeouts, parseEhloCapabilities(ehlo.lines));
  // RFC 5321 §3.2: a server that does not support EHLO answers 5xx; the client then uses HELO
  if (ehlo.code < 500 || !heloFallback) throw new SmtpSessionRefusedError('hello', ehlo);
  const helo = await session.command({ kind: 'HELO', domain: heloName });
  if (!isPositiveCompletion(helo.code)) throw new SmtpSessionRefusedError('hello', helo);
  return session;
}

/** RFC 3207: STARTTLS when offered (or required), then EHLO again on the protected connection. */
async function startTls(session: SmtpSession, options: SessionOptions): Promise<SmtpSession> {
  const required = session.target.requireTls === true;
  if (!session.capabilities.has('STARTTLS')) {
    if (required) throw new SmtpTlsError('TLS is required for this destination and the server does not offer STARTTLS');
    return session;
  }
  const reply = await session.command({ kind: 'STARTTLS' });
  // RFC 3207 §4: 454 "TLS not available due to temporary reason"; the session goes on in the clear
  if (reply.code !== 220) {
    if (required) throw new SmtpTlsError(`TLS is required for this destination and STARTTLS was refused: ${reply.code} ${reply.lines.join(' ')}`);
    return session;
  }
  const tls = await session.connection.startTls(required, options.timeouts.commandMs, options.tlsCa);
  if (required && !tls.authorized) throw new SmtpTlsError(`TLS is required for this destination and the certificate is not valid: ${tls.authorizationError ?? 'unverified'}`);
  // RFC 3207 §4.2: forget what the server said before TLS and say EHLO again (no HELO fallback now)
  return hello(session.connection, options, false);
}

/** The mechanisms the client speaks, most preferred first: PLAIN (RFC 4616) sends both fields in one line. */
const MECHANISMS = ['PLAIN', 'LOGIN'] as const;

/**
 * RFC 4954 §4: AUTH with the mechanism the server lists (§3: in the EHLO
 * reply) — PLAIN with its initial response (RFC 4616 §2: `[authzid] NUL
 * authcid NUL passwd` in UTF-8, base64), else LOGIN (two 334 prompts
 * answered in base64, draft-murchison-sasl-login §2). Only over TLS unless
 * `clearAllowed` (RFC 4954 §4: plaintext mechanisms need a protected
 * channel); a server that offers neither gets nothing.
 */
async function authenticate(session: SmtpSession, credentials: SmtpCredentials, clearAllowed: boolean): Promise<void> {
  if (!session.tls && !clearAllowed) throw new SmtpTlsError('the server did not offer STARTTLS; credentials are never sent over an unprotected connection');
  const offered = session.capabilities.get('AUTH');
  const mechanism = MECHANISMS.find((m) => offered?.includes(m));
  if (!mechanism) {
    throw new SmtpAuthUnavailableError(offered ? `the server offers AUTH ${offered.join(' ')}, none of PLAIN or LOGIN; credentials not sent` : 'the server does not offer AUTH; credentials not sent');
  }
  const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  let reply: SmtpReply;
  if (mechanism === 'PLAIN') {
    reply = await session.command({ kind: 'AUTH', mechanism, initialResponse: base64(`\0${credentials.user}\0${credentials.password}`) });
  } else {
    reply = await session.command({ kind: 'AUTH', mechanism });
    for (const answer of [credentials.user, credentials.password]) {
      if (reply.code !== 334) break;
      await session.connection.write(`${base64(answer)}\r\n`, session.timeouts.commandMs, 'an AUTH LOGIN response');
      reply = await session.connection.readReply(session.timeouts.commandMs, 'an AUTH LOGIN response');
    }
  }
  // RFC 4954 §6: 235 2.7.0 Authentication Succeeded
  if (reply.code !== 235) throw new SmtpSessionRefusedError('auth', reply);
}
