/**
 * `mail.v1.messages.append`: APPEND (RFC 9051 §6.3.12) answered with
 * APPENDUID (RFC 4315 §3). The message is read through the BodyReference
 * (inline, or in the object store the IMAP server wrote it to) and stored as
 * delivery stores one (stored-pieces.ts, message-row.ts: in pieces, its
 * size and SHA-256 checked, metadata parsed off the event loop under the
 * budget), then its entry gets the folder's next UID; all in one
 * transaction, the body first and then the user, the folder and the entry
 * locked in that order. Refusals: unknown-folder ([TRYCREATE]), over-quota
 * ([OVERQUOTA], RFC 9208 §4.3), corrupt-body. The size bound is the
 * contract's APPEND_MAX_OCTETS.
 */
import { randomUUID } from 'node:crypto';
import { BodyNotFoundError, RemoteError, type BodyStore } from '@mail/bus';
import type { BodyReference, Requests } from '@mail/contracts';
import { refuseOverQuota } from '../accounts/quota';
import type { Pool } from '../database/pool';
import { withTransaction } from '../database/transaction';
import type { MetadataBudget } from '../delivery/message-metadata';
import { insertMessage } from '../delivery/message-row';
import { parseMetadataUnderBudget } from '../delivery/metadata-parser';
import { CorruptBodyError, StoredPieces } from '../delivery/stored-pieces';
import { allocateUids, canonicalFlags, findFolder } from '../imap/folder-row';
import { changeNotice, type ChangeNotifier } from '../mailbox/change-notices';
import { lockUser } from '../mailbox/user-lock';
import type { RequestHandler } from './request-handler';

export interface AppendDeps {
  readonly bodies: Pick<BodyStore, 'read'>;
  readonly budget: MetadataBudget;
  /** Octets written per statement (STORE_WRITE_CHUNK). */
  readonly writeChunkBytes: number;
  readonly notify: ChangeNotifier;
}

/** The id of an appended message's row: delivered ones carry their queue id, appended ones `ap` and a random UUID (a valid QueueId). */
export function appendedMessageId(): string {
  return `ap${randomUUID().replace(/-/g, '')}`;
}

/**
 * The appended octets: an inline body decoded here, so that StoredPieces
 * checks its size and SHA-256 against the reference (CorruptBodyError, the
 * client's fault) rather than the bus's reader (a plain error); a body in
 * the object store read through the bus, as delivery reads one.
 */
async function* bodyOf(bodies: AppendDeps['bodies'], content: BodyReference): AsyncGenerator<Uint8Array> {
  if (content.inline !== undefined) yield Buffer.from(content.inline, 'base64');
  else yield* bodies.read(content);
}

export function appendMessage(pool: Pool, deps: AppendDeps): RequestHandler<typeof Requests.appendMessage> {
  return async ({ user, folder: name, content, flags, internalDate }) => {
    const address = user.toLowerCase();
    // Before reading the body, without locks: the folder exists and the message fits (both checked again below).
    await findFolder(pool, address, name);
    await refuseOverQuota(pool, address, content.size);
    const queueId = appendedMessageId();
    // RFC 9051 §6.3.12: the internal date given, or now.
    const receivedAt = internalDate ?? new Date().toISOString();
    try {
      const pieces = new StoredPieces(Buffer.alloc(0), bodyOf(deps.bodies, content), content, deps.writeChunkBytes);
      const { metadata } = await parseMetadataUnderBudget(await pieces.head(deps.budget.maxHeaderBytes), deps.budget);
      const { response, notice } = await withTransaction(pool, async (client) => {
        await insertMessage(client, { queueId, envelopeFrom: '', receivedAt, metadata }, pieces);
        await lockUser(client, address);
        const folder = await findFolder(client, address, name);
        await refuseOverQuota(client, address, content.size);
        const { firstUid: uid, modseq } = await allocateUids(client, folder.id, 1);
        await client.query(`INSERT INTO mailbox_entries (user_id, mailbox_id, message_id, size, flags, received_at, imap_uid, modseq, origin) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'append')`, [
          folder.userId,
          folder.id,
          queueId,
          content.size,
          canonicalFlags(flags),
          receivedAt,
          uid,
          modseq,
        ]);
        return { response: { uidValidity: folder.uidValidity, uid, modseq }, notice: changeNotice({ user: address, folder: folder.name, uidValidity: folder.uidValidity, modseq }, 'added', [uid]) };
      });
      deps.notify([notice]);
      return response;
    } catch (error) {
      if (error instanceof CorruptBodyError || error instanceof BodyNotFoundError) throw new RemoteError('corrupt-body', `the appended message cannot be read: ${error.message}`, { cause: error });
      throw error;
    }
  };
}
