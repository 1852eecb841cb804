/**
 * The capabilities a session advertises right now (RFC 9051 §7.2.2): only
 * what this server does. Before authentication STARTTLS is offered while a
 * certificate is configured and TLS is not active yet, and passwords either
 * AUTH=PLAIN or, where they may not be sent now, LOGINDISABLED (RFC 9051
 * §6.2.3, §11.1); after login the list is sent again in the OK (RFC 9051 §7.1 CAPABILITY).
 */
import { APPEND_MAX_OCTETS } from '@mail/contracts';
import type { CommandContext } from './command-context';
import { isLoopback } from './loopback';

/** The extensions this server implements, whatever the state. */
const EXTENSIONS = [
  'SASL-IR', // RFC 4959
  'LITERAL+', // RFC 7888
  'ENABLE', // RFC 5161
  'IDLE', // RFC 2177
  'NAMESPACE', // RFC 2342
  'ID', // RFC 2971
  'UIDPLUS', // RFC 4315 (UID EXPUNGE, COPYUID)
  'MOVE', // RFC 6851
  'SPECIAL-USE', // RFC 6154
  'UNSELECT', // RFC 3691
  'QUOTA', // RFC 9208 (GETQUOTA, GETQUOTAROOT)
  'QUOTA=RES-STORAGE',
  `APPENDLIMIT=${APPEND_MAX_OCTETS}`, // RFC 7889 §2: the largest message APPEND takes, for every mailbox
  'CONDSTORE', // RFC 7162 §3.1.1
  'QRESYNC', // RFC 7162 §3.2.2
] as const;

/** Whether a password may be sent on this connection now (TLS, or plaintext allowed for a loopback client). */
export function passwordsAllowed(ctx: CommandContext): boolean {
  return ctx.channel.tlsActive || (ctx.settings.allowPlaintextAuth && isLoopback(ctx.session.remoteIp));
}

/** The capability list for this session's state. */
export function capabilities(ctx: CommandContext): string[] {
  const list = ['IMAP4rev2', 'IMAP4rev1'];
  if (ctx.session.protocol.kind === 'not-authenticated') {
    if (ctx.settings.tls !== undefined && !ctx.channel.tlsActive) list.push('STARTTLS');
    list.push(...(passwordsAllowed(ctx) ? ['AUTH=PLAIN'] : ['LOGINDISABLED']));
  }
  list.push(...EXTENSIONS);
  return list;
}
