/** `mail.v1.mailbox.fetch`: one slice of a stored message, base64 (POP3 RETR/TOP stream it chunk by chunk). */
import type { Requests } from '@mail/contracts';
import { RemoteError } from '@mail/bus';
import type { Queryable } from '../database/pool';
import { readChunk } from '../mailbox/maildrop';
import type { RequestHandler } from './request-handler';

export function fetchChunk(db: Queryable): RequestHandler<typeof Requests.fetchChunk> {
  return async ({ user, uid, offset, length }) => {
    const chunk = await readChunk(db, user.toLowerCase(), uid, offset, length);
    if (!chunk) throw new RemoteError('unknown-message', `no message ${uid} in the mailbox of ${user}`);
    return { data: chunk.data.toString('base64'), size: chunk.size, eof: offset + chunk.data.length >= chunk.size };
  };
}
