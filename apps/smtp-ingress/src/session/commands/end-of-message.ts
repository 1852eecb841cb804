/**
 * The common end of DATA and BDAT LAST: apply the content policy, queue the
 * message (body stored, event acknowledged), count and log it, and only
 * then reply `250 2.0.0 Ok: queued as <id>` (RFC 5321 §4.1.1.4, §6.1).
 */
import { C250Ok, EsOther, SmtpReplyError } from '@mail/smtp';
import { contentRejection, type ContentFacts } from '../../message/content-policy';
import { acceptMessage } from '../../message/message-acceptor';
import type { MessageBody } from '../../message/message-body';
import type { CommandContext } from '../command-context';
import type { MailTransaction } from '../session-state';

/** Finish the transaction `tx` whose data is complete. The session's transaction must already be cleared. */
export async function finishMessage(ctx: CommandContext, tx: MailTransaction, body: MessageBody, facts: ContentFacts): Promise<void> {
  const rejection = contentRejection(facts);
  if (rejection !== undefined) {
    ctx.services.metrics.messageRejected(rejection.reason);
    ctx.log.info({ reason: rejection.reason, size: facts.size, recipients: tx.recipients.length }, 'message refused');
    throw rejection.error;
  }
  let queueId: string;
  try {
    queueId = await acceptMessage({ queue: ctx.services.queue, hostname: ctx.settings.hostname, log: ctx.log }, { state: ctx.state, transaction: tx, body, clientHostname: await ctx.clientHostname });
  } catch (error) {
    if (error instanceof SmtpReplyError) ctx.services.metrics.messageRejected('queue-failure');
    throw error;
  }
  ctx.state.messages += 1;
  ctx.services.metrics.messageAccepted(ctx.state.listener, facts.size);
  // One line per accepted message: no content, no AUTH data
  ctx.log.info({ queueId, size: facts.size, recipients: tx.recipients.length, listener: ctx.state.listener }, 'message accepted');
  await ctx.channel.reply(C250Ok, EsOther, `Ok: queued as ${queueId}`);
}
