/**
 * DATA (RFC 5321 §4.1.1.4): 354, then the message up to <CRLF>.<CRLF>,
 * dot-unstuffed (RFC 5321 §4.5.2) by DotUnstuffer, which ends the data only
 * at CRLF "." CRLF — bare CR/LF variants never do (smuggling defence; see
 * content-policy.ts for why such messages are refused, not repaired).
 */
import { C354StartInput } from '@mail/smtp';
import { MessageBody } from '../../message/message-body';
import type { CommandHandler } from '../command-context';
import { finishMessage } from './end-of-message';

/** Receives the message and queues it, or refuses it after the terminator. */
export const handleData: CommandHandler<'DATA'> = async (ctx) => {
  const tx = ctx.state.transaction;
  if (tx === undefined) throw new Error('DATA admitted without a transaction');
  // RFC 5321 §4.2.1: 3yz replies carry no enhanced status code (RFC 2034 §3)
  await ctx.channel.reply(C354StartInput, undefined, 'End data with <CR><LF>.<CR><LF>');
  // RFC 1870 §6.3: keep reading past the limit, storing nothing more
  const body = new MessageBody(ctx.settings.maxMessageSize);
  const outcome = await ctx.channel.readData((chunk) => body.add(chunk));
  // RFC 5321 §4.1.1.4: the transaction ends with the reply to the data, accepted or not
  ctx.state.transaction = undefined;
  await finishMessage(ctx, tx, body, { ...outcome, maxSize: body.maxSize, maxLineLength: ctx.settings.maxLineLength });
};
