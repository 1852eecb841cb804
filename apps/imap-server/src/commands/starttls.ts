/**
 * STARTTLS (RFC 9051 §6.2.1): refused when no certificate is configured or
 * TLS is already active; otherwise the tagged OK is written, input sent
 * before it is discarded (transport.ts), and the handshake runs. The client
 * must ask for the capabilities again; the session's completion is empty
 * because the OK has already gone out.
 */
import { ImapResponseError, ok } from '@mail/imap';
import type { CommandHandler } from '../session/command-context';

export const starttls: CommandHandler<'STARTTLS'> = async (ctx, command) => {
  const tls = ctx.settings.tls;
  if (tls === undefined) throw new ImapResponseError('BAD', 'STARTTLS is not available: no certificate configured', { userFault: true });
  if (ctx.channel.tlsActive) throw new ImapResponseError('BAD', 'TLS is already active', { userFault: true });
  await ctx.channel.startTls(tls.current(), () => ctx.channel.write(ok(command.tag, 'Begin TLS negotiation now')));
  return { text: '', alreadySent: true };
};
