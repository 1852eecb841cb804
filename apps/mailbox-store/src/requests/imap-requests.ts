/** The folder and message requests of an IMAP server (@mail/contracts catalog-imap.ts), served by this replica. */
import type { Bus } from '@mail/bus';
import { Requests } from '@mail/contracts';
import type { Pool } from '../database/pool';
import type { ChangeNotifier } from '../mailbox/change-notices';
import type { PublishFeedback } from './admin-messages';
import { copyMessages } from './imap-copy';
import { fetchMeta } from './imap-fetch';
import { listFolders, quota } from './imap-folders';
import { folderChanges, selectFolder } from './imap-select';
import { expungeFolder, storeFlags } from './imap-store';

export function serveImapRequests(bus: Pick<Bus, 'serve'>, pool: Pool, deps: { readonly publishFeedback: PublishFeedback; readonly notify: ChangeNotifier }): void {
  bus.serve(Requests.listFolders, listFolders(pool));
  bus.serve(Requests.quota, quota(pool));
  bus.serve(Requests.selectFolder, selectFolder(pool));
  bus.serve(Requests.folderChanges, folderChanges(pool));
  bus.serve(Requests.fetchMeta, fetchMeta(pool));
  bus.serve(Requests.storeFlags, storeFlags(pool, deps.notify));
  bus.serve(Requests.expungeFolder, expungeFolder(pool, deps.notify));
  bus.serve(Requests.copyMessages, copyMessages(pool, deps.publishFeedback, deps.notify));
}
