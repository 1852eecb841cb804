/**
 * RCPT TO (RFC 5321 §4.1.1.3): one recipient, refused when the client is
 * block-listed (554 5.7.1, see client-screening.ts), checked for relay tricks,
 * looked up in the directory (mailbox-store), and added to the envelope with
 * its DSN parameters (RFC 3461).
 */
import { C250Ok, C452InsufficientStorage, C550MailboxUnavailable, C554TransactionFailed, EsDeliveryNotAuthorized, EsDestValid, EsTooManyRecipients, SmtpReplyError } from '@mail/smtp';
import { recipientAddress } from '../../envelope/envelope-address';
import { parseRcptParams } from '../../envelope/rcpt-params';
import { routeRecipient } from '../../envelope/recipient-route';
import { describeRelayTrick, relayTrick } from '../../envelope/relay-policy';
import type { CommandHandler } from '../command-context';
import { isSubmissionListener } from '../session-state';

/** Adds the recipient and answers 250 2.1.5, or refuses it. */
export const handleRcpt: CommandHandler<'RCPT'> = async (ctx, command) => {
  const tx = ctx.state.transaction;
  if (tx === undefined) throw new Error('RCPT admitted without a transaction');
  // DNSBL screening (client-screening.ts): a listed client gets 554 5.7.1 for every recipient, postscreen-style
  const screening = await ctx.screening;
  if (screening.action === 'reject') {
    ctx.log.info({ helo: ctx.state.helo?.name, mailFrom: tx.mailFrom, rcptTo: command.path.address, reasons: screening.reasons.map((r) => r.rule) }, 'recipient refused: client is block-listed');
    throw new SmtpReplyError(C554TransactionFailed, EsDeliveryNotAuthorized, screening.text);
  }
  // RFC 5321 §4.5.3.1.10: too many recipients is a temporary 452
  if (tx.recipients.length >= ctx.settings.maxRecipients) {
    throw new SmtpReplyError(C452InsufficientStorage, EsTooManyRecipients, 'Too many recipients');
  }
  const trick = relayTrick(command.path);
  if (trick !== undefined) {
    throw new SmtpReplyError(C550MailboxUnavailable, EsDeliveryNotAuthorized, `Relaying denied: ${describeRelayTrick(trick)}`);
  }
  const address = recipientAddress(command.path, ctx.settings.hostname);
  const dsn = parseRcptParams(command.params, ctx.state.helo?.extended ?? false);
  const resolution = await ctx.services.directory.resolve(address);
  // Relaying to other domains only for authenticated submission (RFC 6409 §4.3)
  const mayRelay = isSubmissionListener(ctx.state.listener) && ctx.state.authUser !== undefined;
  const recipient = routeRecipient(address, resolution, mayRelay, dsn);
  // A repeated recipient is acknowledged but kept once, so it is delivered once
  const known = tx.recipients.some((r) => r.address.toLowerCase() === address.toLowerCase());
  if (!known) tx.recipients.push(recipient);
  ctx.log.debug({ route: recipient.route }, 'recipient accepted');
  await ctx.channel.reply(C250Ok, EsDestValid, 'Recipient ok');
};
