/**
 * IDLE (RFC 2177, RFC 9051 §6.3.13): `+ idling`, then every change of the
 * selected mailbox is reported as it happens — a mailbox.changed notice
 * (from any replica of mailbox-store, through mailbox-change-feed.ts) wakes
 * the session, which asks messages.changes and writes EXISTS / EXPUNGE /
 * FETCH — until the client sends DONE (anything else ends IDLE with BAD).
 * The sessions one notice wakes share their messages.changes requests
 * (mailbox-change-feed.ts): one request per change, however many sessions
 * watch the folder. Shutdown ends it too (the session then says BYE). A
 * folder deleted or renamed by another session, replica or mailctl ends
 * the session at once: mailbox-store's notice of it wakes the session,
 * whose messages.changes then finds no folder, and the dispatcher writes
 * `* BYE` (mailbox-sync.ts, RFC 2180 §3.3).
 */
import { continuation, ImapResponseError, isIdleDone } from '@mail/imap';
import type { CommandHandler } from '../session/command-context';
import { reportMailboxChanges } from './noop';

export const idle: CommandHandler<'IDLE'> = async (ctx, command) => {
  const { session, channel } = ctx;
  channel.setReaderMode('lines');
  ctx.metrics.idleChanged(1);
  try {
    await channel.write(continuation('idling'));
    // Changes pending before IDLE are read on the session's own; in IDLE only a notice makes changes pending
    for (let woken = false; ; woken = true) {
      // Listening before reading: a notice that comes while the changes are read wakes the next round
      const changed = new Promise<'changed'>((resolve) => (session.onChange = () => resolve('changed')));
      if (session.changesPending) await reportMailboxChanges(ctx, woken);
      if ((await Promise.race([channel.waitForInput().then(() => 'input' as const), changed])) === 'changed') continue;
      const event = channel.takeEvent();
      if (event === undefined) return { text: 'IDLE terminated' }; // input ended: shutdown or a closed connection
      if (event.kind === 'refused') throw event.error.withTag(command.tag);
      if (event.kind === 'command' && isIdleDone(event.command)) return { text: 'IDLE terminated' };
      throw new ImapResponseError('BAD', 'Expected DONE to end IDLE', { tag: command.tag, userFault: true });
    }
  } finally {
    session.onChange = undefined;
    channel.setReaderMode('commands');
    ctx.metrics.idleChanged(-1);
  }
};
