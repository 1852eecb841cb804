/** The folder and message requests of an IMAP server (@mail/contracts catalog-imap.ts), served by this replica. */
import type { Bus } from '@mail/bus';
import { Requests } from '@mail/contracts';
import type { Pool } from '../database/pool';
import type { SearchIndexer } from '../search-index/search-indexer';
import type { PublishFeedback } from './admin-messages';
import { appendMessage, type AppendDeps } from './imap-append';
import { copyMessages } from './imap-copy';
import { createFolder } from './imap-create';
import { deleteFolder } from './imap-delete';
import { fetchMeta } from './imap-fetch';
import { listFolders, quota } from './imap-folders';
import { renameFolder } from './imap-rename';
import { searchMessages } from './imap-search';
import { folderChanges, selectFolder } from './imap-select';
import { expungeFolder, storeFlags } from './imap-store';
import { subscribeFolder } from './imap-subscribe';

export interface ImapRequestDeps extends AppendDeps {
  readonly publishFeedback: PublishFeedback;
  /** Indexes a folder's pending messages before a SEARCH TEXT/BODY. */
  readonly searchIndexer: Pick<SearchIndexer, 'indexFolder'>;
}

export function serveImapRequests(bus: Pick<Bus, 'serve'>, pool: Pool, deps: ImapRequestDeps): void {
  const { notify } = deps;
  bus.serve(Requests.listFolders, listFolders(pool));
  bus.serve(Requests.createFolder, createFolder(pool, notify));
  bus.serve(Requests.deleteFolder, deleteFolder(pool, notify));
  bus.serve(Requests.renameFolder, renameFolder(pool, notify));
  bus.serve(Requests.subscribeFolder, subscribeFolder(pool));
  bus.serve(Requests.quota, quota(pool));
  bus.serve(Requests.selectFolder, selectFolder(pool));
  bus.serve(Requests.folderChanges, folderChanges(pool));
  bus.serve(Requests.fetchMeta, fetchMeta(pool));
  bus.serve(Requests.storeFlags, storeFlags(pool, notify));
  bus.serve(Requests.expungeFolder, expungeFolder(pool, notify));
  bus.serve(Requests.copyMessages, copyMessages(pool, deps.publishFeedback, notify));
  bus.serve(Requests.appendMessage, appendMessage(pool, deps));
  bus.serve(Requests.searchMessages, searchMessages(pool, deps.searchIndexer));
}
