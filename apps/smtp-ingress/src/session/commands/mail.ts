/**
 * MAIL FROM (RFC 5321 §4.1.1.2): starts a transaction with the reverse-path
 * and its parameters. The null sender `<>` is allowed (RFC 5321 §4.5.5);
 * source routes are refused as relay attempts; an authenticated user may
 * only send as an address it owns (sender-ownership.ts).
 */
import { C250Ok, C553MailboxNameNotAllowed, EsAddressOther, EsDeliveryNotAuthorized, SmtpReplyError } from '@mail/smtp';
import { senderAddress } from '../../envelope/envelope-address';
import { parseMailParams } from '../../envelope/mail-params';
import { checkSenderOwnership } from '../../envelope/sender-ownership';
import type { CommandHandler } from '../command-context';

/** Opens the transaction and answers 250 2.1.0. */
export const handleMail: CommandHandler<'MAIL'> = async (ctx, command) => {
  const { path } = command;
  // RFC 5321 §3.6.1 and Appendix C: source routes are not honoured here
  if (path !== null && path.sourceRoute.length > 0) {
    throw new SmtpReplyError(C553MailboxNameNotAllowed, EsDeliveryNotAuthorized, 'Source routes are not accepted');
  }
  const mailFrom = senderAddress(path);
  const params = parseMailParams(command.params, {
    maxMessageSize: ctx.settings.maxMessageSize,
    extended: ctx.state.helo?.extended ?? false,
  });
  // RFC 6409 §6.1: on submission the sender must be an address of the authenticated user (553 5.7.1)
  const { authUser } = ctx.state;
  if (authUser !== undefined) await checkSenderOwnership(ctx.services.directory, authUser, mailFrom);
  ctx.state.transaction = { mailFrom, params, recipients: [] };
  await ctx.channel.reply(C250Ok, EsAddressOther, 'Sender ok');
};
