/**
 * BDAT (RFC 3030 §2): the message in chunks of announced size, no
 * dot-stuffing and no terminator; LAST ends it like DATA's <CRLF>.<CRLF>.
 * The chunk is always read to its end, even when it is refused, so the
 * bytes after it are read as the next command.
 */
import { C250Ok, EsOther } from '@mail/smtp';
import { MessageBody } from '../../message/message-body';
import type { CommandHandler } from '../command-context';
import { finishMessage } from './end-of-message';

/** Stores one chunk; on LAST queues the message. */
export const handleBdat: CommandHandler<'BDAT'> = async (ctx, command) => {
  const tx = ctx.state.transaction;
  if (tx === undefined) throw new Error('BDAT admitted without a transaction');
  // RFC 3030 §3: BINARYMIME has no lines; other bodies are checked like DATA
  tx.bdatBody ??= new MessageBody(ctx.settings.maxMessageSize, { scanLines: tx.params.bodyType !== 'BINARYMIME' });
  const body = tx.bdatBody;
  await ctx.channel.readChunk(command.size, (chunk) => body.add(chunk));
  if (command.last) body.finish();
  const facts = { size: body.size, maxSize: body.maxSize, bareLineEndings: body.bareLineEndings, longestLine: body.longestLine, maxLineLength: ctx.settings.maxLineLength };
  if (command.last || body.tooBig) {
    // RFC 3030 §2: a refused chunk fails the whole transaction; the client may start over after RSET
    ctx.state.transaction = undefined;
    await finishMessage(ctx, tx, body, facts);
    return;
  }
  await ctx.channel.reply(C250Ok, EsOther, `${command.size} octets received`);
};
