/**
 * SUBSCRIBE and UNSUBSCRIBE (RFC 9051 §6.3.7, §6.3.8): the name is added to
 * or removed from the user's subscriptions, kept by mailbox-store, which
 * LSUB and LIST (SUBSCRIBED) read (list.ts). A subscription is a name: it
 * may name a folder that does not exist (yet, or any more; RFC 9051 §6.3.7),
 * and subscribing twice, or unsubscribing a name not subscribed, is no
 * error.
 */
import type { CommandHandler } from '../session/command-context';
import { userOf } from '../session/session-state';
import { existingFolderName } from './folder-name';

export const subscribe: CommandHandler<'SUBSCRIBE' | 'UNSUBSCRIBE'> = async (ctx, command) => {
  const user = userOf(ctx.session) as string;
  const subscribed = command.kind === 'SUBSCRIBE';
  // RFC 9051 §6.3.7: a name need not exist to be subscribed, but one no folder can have never will (RFC 5530 CANNOT)
  await ctx.store.subscribeFolder({ user, name: existingFolderName(command.mailbox, 'CANNOT'), subscribed });
  return { text: `${command.kind} completed` };
};
