/**
 * `mail.v1.messages.search`: SEARCH (RFC 9051 §6.4.4) of one folder, the
 * query evaluated in one SQL statement (imap/search-query.ts: what is read
 * from columns, from the search index, what is scanned and how far),
 * answered with the matching UIDs as ascending ranges and their highest
 * modseq (RFC 7162 §3.1.5). A query with TEXT or BODY first has the
 * indexer index the folder's pending messages, within its budget
 * (search-index/search-indexer.ts), so a message delivered since the last
 * search is found by its decoded text.
 */
import type { Requests } from '@mail/contracts';
import type { Queryable } from '../database/pool';
import { findFolder } from '../imap/folder-row';
import { SearchQuery } from '../imap/search-query';
import type { SearchIndexer } from '../search-index/search-indexer';
import type { RequestHandler } from './request-handler';
import { rangesOf } from './imap-select';

export function searchMessages(db: Queryable, indexer: Pick<SearchIndexer, 'indexFolder'>): RequestHandler<typeof Requests.searchMessages> {
  return async ({ user, folder: name, query }) => {
    const folder = await findFolder(db, user.toLowerCase(), name);
    const search = new SearchQuery(query, 2);
    if (search.searchesText) await indexer.indexFolder(folder.id);
    // every stored message has its row (migration 004's trigger): an inner join lets the planner start from the search index
    const searchText = search.searchesText ? 'JOIN message_search_text t ON t.message_id = e.message_id' : '';
    const { rows } = await db.query<{ imap_uid: string; modseq: string }>(
      `SELECT e.imap_uid, e.modseq FROM mailbox_entries e JOIN messages m ON m.id = e.message_id ${searchText} WHERE e.mailbox_id = $1 AND ${search.condition} ORDER BY e.imap_uid`,
      [folder.id, ...search.parameters],
    );
    return { uids: rangesOf(rows.map((row) => Number(row.imap_uid))), highestModseq: rows.reduce((highest, row) => Math.max(highest, Number(row.modseq)), 0) };
  };
}
