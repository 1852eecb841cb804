/** QUIT (RFC 1939 §4, §6): end the session, committing deletions after login. */
import { Pop3ResponseCode, err, ok } from '@mail/pop3';
import type { CommandHandler } from '../session/command-context';
import { transactionMaildrop } from './transaction-maildrop';

/**
 * In AUTHORIZATION just says goodbye (RFC 1939 §4). In TRANSACTION enters
 * UPDATE and removes the marked messages in one expunge request: deletions
 * take effect only here (RFC 1939 §6). If the expunge fails nothing is
 * deleted and the reply is `-ERR [SYS/TEMP]`; the connection closes either
 * way.
 */
export const handleQuit: CommandHandler<'QUIT'> = async (ctx) => {
  const { session, settings } = ctx;
  if (session.state === 'AUTHORIZATION') {
    await ctx.channel.write(ok(`${settings.hostname} POP3 server signing off`));
    return 'close';
  }
  const { user, maildrop } = transactionMaildrop(ctx);
  session.state = 'UPDATE';
  const uids = maildrop.deletedUids();
  if (uids.length > 0) {
    try {
      // RFC 1939 §8: without the lock another session may be using the maildrop.
      if (session.lock?.lost === true) throw new Error('the maildrop lock was lost during the session');
      const deleted = await ctx.mailbox.expunge(user, uids);
      ctx.log.info({ user, marked: uids.length, deleted }, 'maildrop updated');
    } catch (error) {
      ctx.log.warn({ err: error, user, marked: uids.length }, 'UPDATE failed; no message deleted');
      // RFC 1939 §6: "-ERR some deleted messages not removed".
      await ctx.channel.write(err('some deleted messages not removed, try again later', Pop3ResponseCode.SysTemp));
      return 'close';
    }
  }
  const left = maildrop.summary().count;
  const state = left === 0 ? 'maildrop empty' : `${left} message${left === 1 ? '' : 's'} left`;
  await ctx.channel.write(ok(`${settings.hostname} POP3 server signing off (${state})`));
  return 'close';
};
