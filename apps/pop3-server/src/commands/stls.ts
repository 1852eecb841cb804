/** STLS (RFC 2595 §4): upgrade the connection to TLS. */
import { Pop3ResponseError, ok } from '@mail/pop3';
import type { CommandHandler } from '../session/command-context';

/**
 * Replies `+OK` and performs the server side of the TLS handshake (TLS 1.2
 * or later, set on the secure context). Input the client pipelined behind
 * STLS is discarded unread. A failed handshake ends the session.
 */
export const handleStls: CommandHandler<'STLS'> = async (ctx) => {
  const { channel, settings, session } = ctx;
  if (settings.tls === undefined) throw new Pop3ResponseError('STLS not available, no certificate configured');
  // RFC 2595 §4: "-ERR Command not permitted when TLS active".
  if (channel.tlsActive) throw new Pop3ResponseError('command not permitted when TLS active');
  // Each handshake takes the certificate served now; a renewal never touches sessions already in TLS
  await channel.startTls(settings.tls.current(), () => channel.write(ok('begin TLS negotiation')));
  // RFC 2595 §4: the client must forget what it learned before TLS; so does the server.
  session.pendingUser = undefined;
  ctx.log.debug({ session: session.id }, 'TLS active');
};
