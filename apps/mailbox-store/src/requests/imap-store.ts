/**
 * `mail.v1.messages.store` (STORE, RFC 9051 §6.4.6; UNCHANGEDSINCE, RFC
 * 7162 §3.1.3) and `.expunge` (EXPUNGE §6.4.3, UID EXPUNGE RFC 4315 §2.1),
 * each in one transaction with the user locked; IMAP sessions hear of the
 * change after the commit.
 */
import type { MessageFlags, Requests } from '@mail/contracts';
import type { Pool } from '../database/pool';
import { withTransaction } from '../database/transaction';
import { canonicalFlags, findFolder, inUidSet, uidSetParameters } from '../imap/folder-row';
import { changeNotice, type ChangeNotifier } from '../mailbox/change-notices';
import { expungeEntryIds } from '../mailbox/expunge-entries';
import { lockUser } from '../mailbox/user-lock';
import type { RequestHandler } from './request-handler';

type Action = 'add' | 'remove' | 'replace';

/** The flags after `action`; undefined when they stay the same set. */
export function flagsAfter(current: readonly string[], action: Action, flags: readonly string[]): string[] | undefined {
  const next = action === 'replace' ? flags : action === 'add' ? [...current, ...flags] : current.filter((flag) => !flags.includes(flag));
  const result = canonicalFlags(next);
  const same = result.length === current.length && result.every((flag) => current.includes(flag));
  return same ? undefined : result;
}

export function storeFlags(pool: Pool, notify: ChangeNotifier): RequestHandler<typeof Requests.storeFlags> {
  return async ({ user, folder: name, uids, action, flags, unchangedSince }) => {
    const address = user.toLowerCase();
    const wanted = canonicalFlags(flags);
    const { response, notice } = await withTransaction(pool, async (client) => {
      await lockUser(client, address);
      const folder = await findFolder(client, address, name);
      const [first, last] = uidSetParameters(uids);
      const { rows } = await client.query<{ id: string; imap_uid: string; flags: string[]; modseq: string }>(
        `SELECT e.id, e.imap_uid, e.flags, e.modseq FROM mailbox_entries e WHERE e.mailbox_id = $1 AND ${inUidSet(2, 3)} ORDER BY e.imap_uid FOR UPDATE`,
        [folder.id, first, last],
      );
      const failed = rows.filter((row) => unchangedSince !== undefined && Number(row.modseq) > unchangedSince).map((row) => Number(row.imap_uid));
      const changes = rows.flatMap((row) => {
        const next = failed.includes(Number(row.imap_uid)) ? undefined : flagsAfter(row.flags, action, wanted);
        return next === undefined ? [] : [{ id: String(row.id), uid: Number(row.imap_uid), flags: next }];
      });
      let modseq = folder.highestModseq;
      if (changes.length > 0) {
        modseq = (await findFolder(client, address, name, { bumpModseq: true })).highestModseq;
        await client.query(
          `UPDATE mailbox_entries e SET flags = ARRAY(SELECT jsonb_array_elements_text(c.flags)), modseq = $2
             FROM jsonb_to_recordset($1::jsonb) AS c(id bigint, flags jsonb) WHERE e.id = c.id`,
          [JSON.stringify(changes.map((change) => ({ id: change.id, flags: change.flags }))), modseq],
        );
      }
      const changedBy = new Map(changes.map((change) => [change.uid, change.flags]));
      const messages: MessageFlags[] = rows
        .filter((row) => !failed.includes(Number(row.imap_uid)))
        .map((row) => {
          const changed = changedBy.get(Number(row.imap_uid));
          return { uid: Number(row.imap_uid), flags: changed ?? row.flags, modseq: changed === undefined ? Number(row.modseq) : modseq };
        });
      const notice = changes.length === 0 ? undefined : changeNotice({ user: address, folder: folder.name, uidValidity: folder.uidValidity, modseq }, 'flags', [...changedBy.keys()]);
      return { response: { highestModseq: modseq, messages, failed }, notice };
    });
    if (notice !== undefined) notify([notice]);
    return response;
  };
}

export function expungeFolder(pool: Pool, notify: ChangeNotifier): RequestHandler<typeof Requests.expungeFolder> {
  return async ({ user, folder: name, uids }) => {
    const address = user.toLowerCase();
    const { response, notices } = await withTransaction(pool, async (client) => {
      const userId = await lockUser(client, address);
      const folder = await findFolder(client, address, name);
      const [first, last] = uids === undefined ? [null, null] : uidSetParameters(uids);
      const { rows } = await client.query<{ id: string }>(
        `SELECT e.id FROM mailbox_entries e WHERE e.mailbox_id = $1 AND e.flags @> ARRAY['\\Deleted'] AND ($2::bigint[] IS NULL OR ${inUidSet(2, 3)})`,
        [folder.id, first, last],
      );
      const expunged = await expungeEntryIds(
        client,
        { id: userId, address },
        rows.map((row) => String(row.id)),
      );
      const done = expunged.folders[0];
      return { response: { expunged: done?.uids ?? [], highestModseq: done?.modseq ?? folder.highestModseq }, notices: expunged.notices };
    });
    notify(notices);
    return response;
  };
}
