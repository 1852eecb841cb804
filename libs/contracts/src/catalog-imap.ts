/**
 * The part of the catalog an IMAP server uses (issue 18): mailbox-store
 * answers folder and message requests (schemas/imap-*.ts) and sends
 * `mailbox.changed` notices after each commit. Spread into Requests and
 * Notices by catalog.ts, so the bus roles and permissions see them.
 *
 *   requests  mail.v1.folders.list / .create / .delete / .rename / .subscribe / .quota
 *             mail.v1.messages.select / .fetch / .store / .expunge / .copy / .append / .changes / .search
 *   notices   mail.v1.mailbox.changed.<user token> (core NATS, the replicas with the user's folder selected)
 */
import type { BusParty } from './definitions';
import { defineNotice, defineRequest } from './definitions';
import {
  CreateFolderRequest,
  CreateFolderResponse,
  DeleteFolderRequest,
  DeleteFolderResponse,
  ListFoldersRequest,
  ListFoldersResponse,
  QuotaRequest,
  QuotaResponse,
  RenameFolderRequest,
  RenameFolderResponse,
  SubscribeFolderRequest,
  SubscribeFolderResponse,
} from './schemas/imap-folders';
import {
  AppendMessageRequest,
  AppendMessageResponse,
  CopyMessagesRequest,
  CopyMessagesResponse,
  ExpungeFolderRequest,
  ExpungeFolderResponse,
  FetchMetaRequest,
  FetchMetaResponse,
  FolderChangesRequest,
  FolderChangesResponse,
  SearchMessagesRequest,
  SearchMessagesResponse,
  SelectFolderRequest,
  SelectFolderResponse,
  StoreFlagsRequest,
  StoreFlagsResponse,
} from './schemas/imap-messages';
import { MailboxChanged } from './schemas/mailbox-changes';

/** Who asks: the IMAP server. */
const imapClients: readonly BusParty[] = ['imap-server'];

const mailboxStoreRequest = <Q extends Parameters<typeof defineRequest>[0]['request'], R extends Parameters<typeof defineRequest>[0]['response']>(name: string, request: Q, response: R) =>
  defineRequest({ version: 1, name, request, response, queueGroup: 'mailbox-store', clients: imapClients });

export const imapRequests = {
  listFolders: mailboxStoreRequest('folders.list', ListFoldersRequest, ListFoldersResponse),
  createFolder: mailboxStoreRequest('folders.create', CreateFolderRequest, CreateFolderResponse),
  deleteFolder: mailboxStoreRequest('folders.delete', DeleteFolderRequest, DeleteFolderResponse),
  renameFolder: mailboxStoreRequest('folders.rename', RenameFolderRequest, RenameFolderResponse),
  subscribeFolder: mailboxStoreRequest('folders.subscribe', SubscribeFolderRequest, SubscribeFolderResponse),
  quota: mailboxStoreRequest('folders.quota', QuotaRequest, QuotaResponse),
  selectFolder: mailboxStoreRequest('messages.select', SelectFolderRequest, SelectFolderResponse),
  fetchMeta: mailboxStoreRequest('messages.fetch', FetchMetaRequest, FetchMetaResponse),
  storeFlags: mailboxStoreRequest('messages.store', StoreFlagsRequest, StoreFlagsResponse),
  expungeFolder: mailboxStoreRequest('messages.expunge', ExpungeFolderRequest, ExpungeFolderResponse),
  copyMessages: mailboxStoreRequest('messages.copy', CopyMessagesRequest, CopyMessagesResponse),
  appendMessage: mailboxStoreRequest('messages.append', AppendMessageRequest, AppendMessageResponse),
  folderChanges: mailboxStoreRequest('messages.changes', FolderChangesRequest, FolderChangesResponse),
  searchMessages: mailboxStoreRequest('messages.search', SearchMessagesRequest, SearchMessagesResponse),
} as const;

export const Notices = {
  /**
   * mailbox-store → imap-server: a folder changed; sent after the commit, on
   * the user's own subject (`mail.v1.mailbox.changed.<token of the user>`),
   * which a replica hears while it has a session with one of the user's
   * folders selected.
   */
  mailboxChanged: defineNotice({ version: 1, name: 'mailbox.changed', schema: MailboxChanged, producers: ['mailbox-store'], listeners: imapClients, keyOf: (notice) => notice.user }),
} as const;
