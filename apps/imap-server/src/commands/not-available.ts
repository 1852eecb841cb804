/**
 * Commands this server parses but does not carry out yet (issue 18's next
 * step: CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, APPEND): a clear
 * `NO [CANNOT]` rather than a failure, so clients show the reason.
 */
import { ImapResponseError, type ImapCommandKind } from '@mail/imap';
import type { CommandHandler } from '../session/command-context';

export function notAvailable<K extends ImapCommandKind>(kind: K): CommandHandler<K> {
  return async () => {
    throw new ImapResponseError('NO', `${kind} is not available on this server yet`, { code: 'CANNOT', userFault: false });
  };
}
