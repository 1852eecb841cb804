/**
 * `mail.v1.messages.copy`: COPY (RFC 9051 §6.4.7) and MOVE (RFC 6851), with
 * the COPYUID mapping (RFC 4315 §3), in one transaction with the user
 * locked. The destination's UIDs are allocated as delivery does (uid_next
 * moved on by the count, the row locked to commit). A copy counts against
 * the quota; a move does not (the user's octets stay the same) and keeps
 * the entry (its POP3 UIDL and delivery key) with a new UID, leaving the
 * old UID expunged in the source (tombstone, new modseq). A move into or
 * out of the \Junk folder teaches the spam filter, inside the transaction,
 * exactly as `mailctl message move` does (admin-messages.ts feedbackOf).
 */
import { SPAM_TRAIN_MAX_OCTETS, type MailboxChanged, type Requests } from '@mail/contracts';
import { refuseOverQuota } from '../accounts/quota';
import type { Pool } from '../database/pool';
import { withTransaction } from '../database/transaction';
import { allocateUids, findFolder, inUidSet, uidSetParameters, type FolderRow } from '../imap/folder-row';
import { changeNotice, type ChangeNotifier } from '../mailbox/change-notices';
import { Folders } from '../mailbox/folders';
import { lockUser } from '../mailbox/user-lock';
import { feedbackOf, type PublishFeedback } from './admin-messages';
import type { RequestHandler } from './request-handler';

interface SourceRow {
  id: string;
  uid: string;
  imap_uid: string;
  message_id: string;
  size: number;
  head: Buffer | null;
}

/** The verdict a move teaches: into \Junk spam, out of it ham, otherwise nothing. */
function verdictOf(from: FolderRow, to: FolderRow): 'spam' | 'ham' | undefined {
  const [fromJunk, toJunk] = [from.specialUse === '\\Junk', to.specialUse === '\\Junk'];
  return fromJunk === toJunk ? undefined : toJunk ? 'spam' : 'ham';
}

export function copyMessages(pool: Pool, publishFeedback: PublishFeedback, notify: ChangeNotifier): RequestHandler<typeof Requests.copyMessages> {
  return async ({ user, folder: name, uids, to, move }) => {
    const address = user.toLowerCase();
    const { response, notices } = await withTransaction(pool, async (client) => {
      await lockUser(client, address);
      const source = await findFolder(client, address, name);
      const target = await findFolder(client, address, to);
      const verdict = move ? verdictOf(source, target) : undefined;
      const [first, last] = uidSetParameters(uids);
      const { rows } = await client.query<SourceRow>(
        `SELECT e.id, e.uid, e.imap_uid, e.message_id, e.size, CASE WHEN $4 THEN substring(m.raw FROM 1 FOR $5::int) END AS head
           FROM mailbox_entries e JOIN messages m ON m.id = e.message_id
          WHERE e.mailbox_id = $1 AND ${inUidSet(2, 3)} ORDER BY e.imap_uid FOR UPDATE OF e`,
        [source.id, first, last, verdict !== undefined, SPAM_TRAIN_MAX_OCTETS],
      );
      if (rows.length === 0) return { response: { uidValidity: target.uidValidity, copied: [], highestModseq: source.highestModseq }, notices: [] as MailboxChanged[] };
      // RFC 9208 §4.3: a copy that would take the user past the quota is refused whole (OVERQUOTA).
      if (!move)
        await refuseOverQuota(
          client,
          address,
          rows.reduce((sum, row) => sum + row.size, 0),
        );
      const { firstUid, modseq } = await allocateUids(client, target.id, rows.length);
      const copied = rows.map((row, i) => ({ from: Number(row.imap_uid), to: firstUid + i }));
      const ids = rows.map((row) => String(row.id));
      let sourceModseq = source.highestModseq;
      if (move) {
        sourceModseq = (await findFolder(client, address, name, { bumpModseq: true })).highestModseq;
        await client.query(
          `INSERT INTO expunged_entries (mailbox_id, imap_uid, modseq) SELECT $1, unnest($2::bigint[]), $3
           ON CONFLICT (mailbox_id, imap_uid) DO UPDATE SET modseq = excluded.modseq, expunged_at = now()`,
          [source.id, copied.map((pair) => pair.from), sourceModseq],
        );
        await client.query(
          `UPDATE mailbox_entries e SET mailbox_id = $2, imap_uid = $3::bigint + n.ord - 1, modseq = $4
             FROM unnest($1::bigint[]) WITH ORDINALITY AS n(id, ord) WHERE e.id = n.id`,
          [ids, target.id, firstUid, modseq],
        );
      } else {
        await client.query(
          `INSERT INTO mailbox_entries (user_id, mailbox_id, message_id, size, flags, received_at, imap_uid, modseq, origin)
           SELECT e.user_id, $2, e.message_id, e.size, e.flags, e.received_at, $3::bigint + n.ord - 1, $4, 'copy'
             FROM unnest($1::bigint[]) WITH ORDINALITY AS n(id, ord) JOIN mailbox_entries e ON e.id = n.id ORDER BY n.ord`,
          [ids, target.id, firstUid, modseq],
        );
      }
      if (verdict !== undefined) {
        const at = new Date();
        for (const row of rows) {
          if (row.head === null || row.head.length === 0) continue;
          // feedbackOf reads the verdict from the destination: Junk for spam, INBOX standing for any other folder.
          const entry = { uid: row.uid, from: source.name, to: verdict === 'spam' ? Folders.junk : Folders.inbox, messageId: row.message_id, head: row.head, size: row.size };
          const { payload, msgId } = feedbackOf(address, entry, at);
          await publishFeedback(payload, msgId);
        }
      }
      const notices = [
        changeNotice(
          { user: address, folder: target.name, uidValidity: target.uidValidity, modseq },
          'added',
          copied.map((pair) => pair.to),
        ),
      ];
      if (move)
        notices.push(
          changeNotice(
            { user: address, folder: source.name, uidValidity: source.uidValidity, modseq: sourceModseq },
            'expunged',
            copied.map((pair) => pair.from),
          ),
        );
      return { response: { uidValidity: target.uidValidity, copied, highestModseq: sourceModseq }, notices };
    });
    notify(notices);
    return response;
  };
}
