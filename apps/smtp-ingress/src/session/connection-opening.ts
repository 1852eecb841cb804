/**
 * What happens on a connection before the 220 greeting, in order:
 *
 * 1. PROXY header from a trusted load balancer (proxy-handshake.ts): the
 *    real client IP; problems close the connection without a reply.
 *    On submissions the TLS handshake follows (RFC 8314 §3.3: TLS from the
 *    first byte after the PROXY header), before any reply, so that even a
 *    refusal below reaches the client over TLS; a failed one closes.
 * 2. Per-IP limits across replicas (connection-limiter.ts): 421 4.7.0.
 * 3. The greeting pause: a client that talks before the greeting (a spam
 *    engine that does not wait, as Postfix postscreen's pregreet test
 *    catches) gets 554 5.5.1 and is closed (RFC 5321 §4.3.2: 554 is the
 *    refusal at connection establishment). DNSBL screening and the reverse
 *    lookup run meanwhile.
 */
import { looksLikeProxyHeader, type AddressList } from '@mail/proxy-protocol';
import type { TlsContextSource } from '@mail/runtime';
import { C554TransactionFailed, EsInvalidCommand } from '@mail/smtp';
import type { ConnectionLimiter } from '../limits/connection-limiter';
import type { IngressMetrics } from '../metrics';
import { describeProxyHeader, identifyClient, type ClientEndpoint } from '../proxy/proxy-handshake';
import type { ClientScreening } from '../screening/client-screening';
import { ConnectionClosedError, TlsHandshakeError } from './session-errors';
import type { ListenerKind } from './session-state';
import type { SmtpTransport } from './transport';
import type { SessionLog } from './session-log';

/** Connection-level policy of the server. */
export interface ConnectionPolicy {
  readonly limiter: ConnectionLimiter;
  /** DNSBL screening of inbound clients (submission is not screened). */
  readonly screening: ClientScreening;
  /** Load balancers allowed to send a PROXY header, per listener. */
  readonly trustedProxies: Readonly<Record<ListenerKind, AddressList>>;
  readonly proxyTimeoutMs: number;
  /** SMTP_GREET_PAUSE; 0 = greet at once. */
  readonly greetPauseMs: number;
  /** SMTP_SESSION_TIMEOUT. */
  readonly sessionTimeoutMs: number;
}

/** What the opening needs from the session. */
export interface OpeningContext {
  readonly transport: SmtpTransport;
  readonly listener: ListenerKind;
  readonly sessionId: string;
  readonly peer: ClientEndpoint;
  readonly policy: ConnectionPolicy;
  readonly metrics: IngressMetrics;
  readonly log: SessionLog;
  readonly hostname: string;
  /** The certificates of a listener with implicit TLS (submissions); undefined on the others. */
  readonly implicitTls: TlsContextSource | undefined;
}

/**
 * Steps 1 and 2: the real client, admitted by the limits (its slot must be
 * released at the end); undefined when the connection must close (any
 * reply is already written).
 */
export async function admitClient(ctx: OpeningContext): Promise<ClientEndpoint | undefined> {
  const { transport, listener, policy, metrics, log } = ctx;
  const identity = await identifyClient(transport, ctx.peer, policy.trustedProxies[listener], policy.proxyTimeoutMs);
  if (!identity.ok) {
    // A load balancer's TCP health check connects and hangs up: not worth a warning
    if (identity.reason === 'closed') log.debug({ detail: identity.detail }, 'trusted peer closed before its PROXY header');
    else {
      metrics.connectionRefused(listener, identity.reason);
      log.warn({ reason: identity.reason, detail: identity.detail }, `trusted peer ${ctx.peer.ip} sent no valid PROXY header: closing`);
    }
    return undefined;
  }
  if (ctx.implicitTls !== undefined && !(await openImplicitTls(ctx, ctx.implicitTls))) return undefined;
  const { client } = identity;
  if (identity.header !== undefined) log.debug({ clientIp: client.ip, ...describeProxyHeader(identity.header) }, 'PROXY header accepted');
  const admission = await policy.limiter.admit(client.ip, ctx.sessionId);
  if ('unchecked' in admission) log.warn({ err: admission.unchecked }, 'connection limits unavailable (Redis); admitting without counting');
  if (!admission.admitted) {
    metrics.connectionRefused(listener, admission.reason);
    log.info({ clientIp: client.ip, limit: admission.reason }, 'connection refused by limit');
    await transport.reply(admission.reply.code, admission.reply.enhanced, admission.reply.text).catch(() => undefined);
    return undefined;
  }
  return client;
}

/** Step 1 on submissions: the TLS handshake under the certificate current now (a renewal applies from the next connection); false when it failed. */
async function openImplicitTls(ctx: OpeningContext, certificates: TlsContextSource): Promise<boolean> {
  try {
    await ctx.transport.startImplicitTls(certificates.current());
    return true;
  } catch (error) {
    if (error instanceof TlsHandshakeError) {
      ctx.metrics.connectionRefused(ctx.listener, 'tls-handshake');
      ctx.log.info({ err: error.cause }, 'TLS handshake failed: closing');
      return false;
    }
    // A load balancer's TCP health check connects and hangs up: not worth counting
    if (error instanceof ConnectionClosedError) ctx.log.debug('client closed before its TLS handshake');
    else throw error;
    return false;
  }
}

/** Step 3: true when the client may be greeted; false after refusing an early talker. */
export async function passGreetPause(ctx: OpeningContext, trustedPeer: boolean): Promise<boolean> {
  const { transport, listener, metrics, log, policy } = ctx;
  if (policy.greetPauseMs <= 0 || !(await transport.waitForInput(policy.greetPauseMs))) return true;
  if (!trustedPeer && looksLikeProxyHeader(transport.head)) {
    refuseUntrustedProxy(ctx);
    return false;
  }
  metrics.connectionRefused(listener, 'early-talker');
  log.info('client talked before the greeting: refused');
  await transport.reply(C554TransactionFailed, EsInvalidCommand, `${ctx.hostname} Protocol error: data sent before the greeting`).catch(() => undefined);
  return false;
}

/** A PROXY header from a peer not in the trusted list is never believed: close without a reply. */
export function refuseUntrustedProxy(ctx: OpeningContext): void {
  ctx.metrics.connectionRefused(ctx.listener, 'proxy-untrusted');
  ctx.log.warn(`PROXY header from untrusted peer ${ctx.peer.ip}: closing (add it to PROXY_PROTOCOL_TRUSTED if it is your load balancer)`);
}
