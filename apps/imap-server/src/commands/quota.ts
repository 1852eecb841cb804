/**
 * GETQUOTAROOT and GETQUOTA (RFC 9208 §4.2, §4.3): every mailbox of a user
 * is under one quota root, "", with the user's storage (in units of 1024
 * octets, RFC 9208 §5.1) and message counts; SETQUOTA is refused (RFC 9208
 * §4.1: quotas are the administrator's, `mailctl user quota`). GETQUOTAROOT
 * names a mailbox: one that does not exist, or that no mailbox can have
 * (folder-name.ts), is `NO [NONEXISTENT]`.
 */
import { formatQuota, formatQuotaRoot, ImapResponseError, type QuotaResource } from '@mail/imap';
import type { CommandContext, CommandHandler } from '../session/command-context';
import { userOf, wireOptions } from '../session/session-state';
import { listedFolder } from './status';

const ROOT = '';

async function resources(ctx: CommandContext): Promise<QuotaResource[]> {
  const reply = await ctx.store.quota({ user: userOf(ctx.session) as string });
  if (reply.limitOctets === null) return [];
  return [{ name: 'STORAGE', usage: Math.ceil(reply.usedOctets / 1024), limit: Math.floor(reply.limitOctets / 1024) }];
}

export const getQuotaRoot: CommandHandler<'GETQUOTAROOT'> = async (ctx, command) => {
  const wire = wireOptions(ctx.session);
  // RFC 9208 §4.3: GETQUOTAROOT of a mailbox that does not exist is NO (RFC 5530 §3 NONEXISTENT)
  if ((await listedFolder(ctx, command.mailbox, false)) === undefined) throw new ImapResponseError('NO', 'No such mailbox', { code: 'NONEXISTENT', userFault: true });
  const found = await resources(ctx);
  await ctx.channel.write(formatQuotaRoot(command.mailbox, found.length === 0 ? [] : [ROOT], wire));
  if (found.length > 0) await ctx.channel.write(formatQuota(ROOT, found, wire));
  return { text: 'GETQUOTAROOT completed' };
};

export const getQuota: CommandHandler<'GETQUOTA'> = async (ctx, command) => {
  const found = command.root === ROOT ? await resources(ctx) : [];
  if (found.length === 0) throw new ImapResponseError('NO', 'No such quota root', { code: 'NONEXISTENT', userFault: true });
  await ctx.channel.write(formatQuota(ROOT, found, wireOptions(ctx.session)));
  return { text: 'GETQUOTA completed' };
};

export const setQuota: CommandHandler<'SETQUOTA'> = async () => {
  throw new ImapResponseError('NO', 'Quotas are set by the administrator', { code: 'NOPERM', userFault: true });
};
