/**
 * `mail.v1.messages.fetch`: what is stored about messages of a UID set
 * (FLAGS, INTERNALDATE, RFC822.SIZE, MODSEQ, the entry key for the octets,
 * the delivery-time summary, and when asked the header section for
 * ENVELOPE), bounded per reply (FETCH_META_MAX_MESSAGES, and
 * FETCH_META_MAX_HEADER_OCTETS of headers: `nextUid` says where to go on).
 */
import { FETCH_HEADER_MAX_OCTETS, FETCH_META_MAX_HEADER_OCTETS, FETCH_META_MAX_MESSAGES, type MessageMeta, type Requests } from '@mail/contracts';
import type { Queryable } from '../database/pool';
import { findFolder, inUidSet, uidSetParameters } from '../imap/folder-row';
import type { RequestHandler } from './request-handler';

interface MetaRow {
  imap_uid: string;
  uid: string;
  flags: string[];
  modseq: string;
  received_at: Date;
  size: number;
  header_from: string | null;
  header_to: string | null;
  subject: string | null;
  header_date: Date | null;
  message_id_header: string | null;
  header: Buffer | null;
}

export function fetchMeta(db: Queryable): RequestHandler<typeof Requests.fetchMeta> {
  return async ({ user, folder: name, uids, changedSince, header }) => {
    const folder = await findFolder(db, user.toLowerCase(), name);
    const [first, last] = uidSetParameters(uids);
    // The header section: up to its empty line (RFC 5322 §2.1), at most FETCH_HEADER_MAX_OCTETS.
    const { rows } = await db.query<MetaRow>(
      `SELECT e.imap_uid, e.uid, e.flags, e.modseq, e.received_at, e.size, m.header_from, m.header_to, m.subject, m.header_date, m.message_id_header,
              CASE WHEN $5 THEN (SELECT CASE WHEN p > 0 THEN substring(h FROM 1 FOR p + 3) ELSE h END
                                   FROM (SELECT substring(m.raw FROM 1 FOR $6::int) AS h) s, LATERAL (SELECT position('\\x0d0a0d0a'::bytea IN s.h) AS p) q) END AS header
         FROM mailbox_entries e JOIN messages m ON m.id = e.message_id
        WHERE e.mailbox_id = $1 AND ${inUidSet(2, 3)} AND ($4::bigint IS NULL OR e.modseq > $4)
        ORDER BY e.imap_uid LIMIT $7`,
      [folder.id, first, last, changedSince ?? null, header, FETCH_HEADER_MAX_OCTETS, FETCH_META_MAX_MESSAGES + 1],
    );
    const messages: MessageMeta[] = [];
    let headerOctets = 0;
    let nextUid: number | undefined;
    for (const [index, row] of rows.entries()) {
      headerOctets += row.header?.length ?? 0;
      if (index === FETCH_META_MAX_MESSAGES || (index > 0 && headerOctets > FETCH_META_MAX_HEADER_OCTETS)) {
        nextUid = Number(row.imap_uid);
        break;
      }
      messages.push(metaOf(row));
    }
    return { messages, ...(nextUid === undefined ? {} : { nextUid }) };
  };
}

function metaOf(row: MetaRow): MessageMeta {
  return {
    uid: Number(row.imap_uid),
    key: row.uid,
    flags: row.flags,
    modseq: Number(row.modseq),
    internalDate: row.received_at.toISOString(),
    size: row.size,
    summary: { from: row.header_from, to: row.header_to, subject: row.subject, date: row.header_date?.toISOString() ?? null, messageId: row.message_id_header },
    ...(row.header === null ? {} : { header: row.header.toString('base64') }),
  };
}
