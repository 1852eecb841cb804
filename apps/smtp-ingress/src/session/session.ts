/**
 * One SMTP session from connection to close: the opening before the
 * greeting (PROXY header, TLS handshake on submissions, limits, greeting
 * pause: connection-opening.ts),
 * then the greeting and one command at a time through the dispatcher. It
 * ends on QUIT, a dropped connection, the idle timeout (421 4.4.2), the
 * session time limit (421 4.4.2), too many errors (421), or a server
 * shutdown: an idle session gets 421 4.3.2 at once, a busy one finishes its
 * command (a message in DATA is queued and gets its 250) and then gets 421.
 * The session is one trace span, its MAIL/RCPT/DATA/BDAT children of it
 * (session-span.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { looksLikeProxyHeader } from '@mail/proxy-protocol';
import { C220ServiceReady, C421ServiceNotAvailable, EsBadConnection, EsSystemNotAccepting } from '@mail/smtp';
import type { Logger } from '@mail/telemetry';
import type { ReverseDns } from '../dns/reverse-dns';
import type { ClientEndpoint } from '../proxy/proxy-handshake';
import type { ScreenOutcome } from '../screening/client-screening';
import type { CommandContext, SessionServices, SessionSettings } from './command-context';
import { admitClient, passGreetPause, refuseUntrustedProxy, type ConnectionPolicy, type OpeningContext } from './connection-opening';
import { CommandDispatcher } from './dispatcher';
import { ConnectionClosedError } from './session-errors';
import { LazySessionLog } from './session-log';
import { inSessionSpan, recordReply } from './session-span';
import { newSessionState, plainClientIp, type ListenerKind } from './session-state';
import { SmtpTransport } from './transport';

/** Everything a session needs from the server. */
export interface SessionDependencies {
  readonly settings: SessionSettings;
  readonly services: SessionServices;
  readonly connection: ConnectionPolicy;
  readonly reverseDns: ReverseDns;
  readonly log: Logger;
  /** RFC 5321 §4.5.3.2.7: how long to wait for the client (at least 5 minutes). */
  readonly idleTimeoutMs: number;
}

/** An SMTP session on one accepted connection. */
export class SmtpSession {
  readonly #id = randomUUID();
  readonly #transport: SmtpTransport;
  readonly #opening: OpeningContext;
  readonly #log: LazySessionLog;
  #draining = false;
  #waiting = false;
  #timedOut = false;

  constructor(
    socket: Socket,
    private readonly listener: ListenerKind,
    private readonly deps: SessionDependencies,
  ) {
    const peer = { ip: plainClientIp(socket.remoteAddress), port: socket.remotePort };
    this.#log = new LazySessionLog(deps.log, { session: this.#id, listener, peerIp: peer.ip });
    this.#transport = new SmtpTransport(socket, {
      idleTimeoutMs: deps.idleTimeoutMs,
      onIdle: () => this.#timeout('idle timeout', 'Timeout waiting for client input'),
      onReply: (code) => {
        deps.services.metrics.replySent(code);
        recordReply(code);
      },
    });
    const { connection: policy, services, settings } = deps;
    const implicitTls = listener === 'submissions' ? settings.tls : undefined;
    this.#opening = { transport: this.#transport, listener, sessionId: this.#id, peer, policy, metrics: services.metrics, log: this.#log, hostname: settings.hostname, implicitTls };
  }

  /** Opens, greets, runs commands until the session ends, then closes — in the session's span. Never rejects. */
  run(): Promise<void> {
    return inSessionSpan(this.listener, this.#id, () => this.#run());
  }

  async #run(): Promise<void> {
    const { metrics } = this.deps.services;
    const { limiter, sessionTimeoutMs } = this.deps.connection;
    metrics.connectionOpened(this.listener);
    // The session time limit acts at the next wait for the client, never inside a command
    const limit = setTimeout(() => this.#transport.whenWaiting(() => this.#timeout('session time limit', 'Session time limit reached', 'session-timeout')), sessionTimeoutMs);
    let client: ClientEndpoint | undefined;
    try {
      client = await admitClient(this.#opening);
      if (client !== undefined) await this.#converse(client);
    } catch (error) {
      if (!(error instanceof ConnectionClosedError)) this.#log.error({ err: error }, 'session failed');
    } finally {
      clearTimeout(limit);
      await this.#transport.close();
      if (client !== undefined) await limiter.release(client.ip, this.#id).catch((error: unknown) => this.#log.warn({ err: error }, 'could not release the connection slot'));
      this.#log.debug('session closed');
    }
  }

  /** Ends the session at the next command boundary (server shutdown); an idle session at once. */
  drain(): void {
    this.#draining = true;
    if (this.#waiting) this.#transport.interrupt();
  }

  /** Drops the connection at once (drain deadline passed). */
  abort(): void {
    this.#transport.destroy();
  }

  async #converse(client: ClientEndpoint): Promise<void> {
    const { settings, services, connection, reverseDns } = this.deps;
    this.#log.bind({ clientIp: client.ip });
    const screening = this.listener === 'inbound' ? this.#screen(client.ip) : Promise.resolve<ScreenOutcome>({ action: 'accept' });
    const state = newSessionState(this.#id, this.listener, client.ip, client.port);
    // RFC 8314 §3.3: on submissions TLS is active from the start (no STARTTLS offered, RFC 3207 §4.2; AUTH offered)
    state.tls = this.#transport.tlsActive;
    const ctx: CommandContext = {
      state,
      channel: this.#transport,
      settings,
      services,
      log: this.#log,
      clientHostname: reverseDns.lookup(client.ip),
      screening,
    };
    const trustedPeer = connection.trustedProxies[this.listener].includes(this.#opening.peer.ip);
    if (!(await passGreetPause(this.#opening, trustedPeer))) return;
    // RFC 5321 §4.2, RFC 2034 §3: the greeting carries no enhanced code
    if (!this.#draining) await this.#transport.reply(C220ServiceReady, undefined, `${settings.hostname} ESMTP`);
    const dispatcher = new CommandDispatcher(ctx);
    for (let first = true; !this.#draining; first = false) {
      this.#waiting = true;
      const line = await this.#transport.nextLine();
      this.#waiting = false;
      if (this.#draining || this.#timedOut || line === undefined) break;
      if (first && !trustedPeer && looksLikeProxyHeader(this.#transport.head)) return refuseUntrustedProxy(this.#opening);
      if ((await dispatcher.dispatch(line)) === 'close') break;
    }
    // RFC 5321 §3.8: the server may close with 421 when shutting down
    if (this.#draining && !this.#timedOut) {
      await this.#transport.reply(C421ServiceNotAvailable, EsSystemNotAccepting, `${settings.hostname} Service shutting down, closing connection`);
    }
  }

  /** Asks spam-filter about the client; logs and counts the verdict. Never rejects. */
  async #screen(ip: string): Promise<ScreenOutcome> {
    const outcome = await this.deps.connection.screening.screen(ip);
    this.deps.services.metrics.clientScreened(outcome.action);
    if (outcome.action === 'unavailable') this.#log.warn({ err: outcome.error }, 'DNSBL screening unavailable; accepting the client (fail open)');
    else if (outcome.action === 'reject') this.#log.info({ reasons: outcome.reasons.map((r) => r.rule) }, 'client is block-listed: every RCPT will be refused');
    return outcome;
  }

  // RFC 5321 §4.5.3.2.7 (idle) and the session time limit: 421 4.4.2, then close
  #timeout(event: string, text: string, reason?: 'session-timeout'): void {
    if (this.#timedOut) return;
    this.#timedOut = true;
    this.#log.info(event);
    if (reason !== undefined) this.deps.services.metrics.connectionRefused(this.listener, reason);
    // The reply is queued before the close, which flushes it; the pending read then ends
    this.#transport.reply(C421ServiceNotAvailable, EsBadConnection, `${this.deps.settings.hostname} ${text}, closing connection`).catch(() => undefined);
    void this.#transport.close(1_000);
  }
}
