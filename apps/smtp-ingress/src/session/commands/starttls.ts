/**
 * STARTTLS (RFC 3207): 220, then the TLS handshake on the same connection
 * (TLS 1.2 or later, set in the secure context). Pipelined plain-text input
 * is discarded (RFC 3207 §6) and the session starts over from before EHLO
 * (RFC 3207 §4.2).
 */
import { C220ServiceReady, EsOther } from '@mail/smtp';
import type { CommandHandler } from '../command-context';
import { resetAfterTls } from '../session-state';

/** Upgrades the connection; the gate has checked that TLS is configured and not yet active. */
export const handleStarttls: CommandHandler<'STARTTLS'> = async (ctx) => {
  const tls = ctx.settings.tls;
  if (tls === undefined) throw new Error('STARTTLS admitted without a TLS context');
  // Each handshake takes the certificate served now; a renewal never touches sessions already in TLS
  await ctx.channel.startTls(tls.current(), () => ctx.channel.reply(C220ServiceReady, EsOther, 'Ready to start TLS'));
  resetAfterTls(ctx.state);
  ctx.log.debug('TLS active');
};
