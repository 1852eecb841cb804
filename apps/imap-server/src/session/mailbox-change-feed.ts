/**
 * The `mail.v1.mailbox.changed` notices (@mail/contracts Notices) handed to
 * the sessions that have the changed folder selected: one subscription per
 * user with a folder selected here (the notices are sent on the user's own
 * subject, so a replica pays for the mail of its sessions' users, not for
 * the whole platform's), a map from user and folder to the sessions
 * watching it, so a notice costs one lookup however many sessions are open.
 * A session only learns that something changed; it then asks
 * messages.changes (the truth), so a lost notice — one sent before the
 * user's subscription reached NATS among them — delays an update, never
 * corrupts one.
 *
 * The sessions a notice wakes mostly ask the very same messages.changes
 * question (same user, folder, modseq and page): those share one request
 * (sharedChanges), so 200 sessions of one folder cost one request and one
 * database query per change, not 200. A request is shared only while no
 * newer notice of its folder has come: an answer read before a change is
 * never handed to a session woken by that change.
 */
import type { MailboxChanged, Requests, RequestPayload, ResponsePayload } from '@mail/contracts';
import type { MailboxStoreClient } from '../mailbox/mailbox-store-client';

/** Called when the watched folder changed. */
export type ChangeListener = () => void;

/** The messages.changes requests a session makes (mailbox-sync.ts reads changes through this alone). */
export type FolderChangesSource = Pick<MailboxStoreClient, 'folderChanges'>;

type ChangesAsk = Omit<RequestPayload<typeof Requests.folderChanges>, 'version'>;
type ChangesReply = ResponsePayload<typeof Requests.folderChanges>;

/** Where sessions register for changes of their selected folder. */
export interface MailboxChangeFeed {
  /** Watch `folder` of `user`; call the returned function to stop. */
  watch(user: string, folder: string, listener: ChangeListener): () => void;
  /**
   * `store`'s messages.changes for a session a notice of the folder woke
   * (and nothing else: a session that changed the folder itself, or polls
   * with NOOP, reads `store` directly). A question asked while the same
   * question is in flight — the same request, field for field — shares its
   * answer, if that request left after the folder's latest notice.
   */
  sharedChanges(store: FolderChangesSource): FolderChangesSource;
}

/** RFC 9051 §5.1: INBOX is case-insensitive; other names are compared as they are. */
function folderKey(user: string, folder: string): string {
  return `${user.toLowerCase()}\u0000${folder.toUpperCase() === 'INBOX' ? 'INBOX' : folder}`;
}

/** The exact request, as the key of its answer: only a session asking exactly this may share it. */
function requestKey(ask: ChangesAsk): string {
  return JSON.stringify([ask.user, ask.folder, ask.since, ask.afterUid, ask.limit, ask.uids ?? null]);
}

/** The sessions watching one folder, and the messages.changes requests about it sent since its latest notice. */
interface WatchedFolder {
  readonly listeners: Set<ChangeListener>;
  readonly inFlight: Map<string, Promise<ChangesReply>>;
}

/** Starts hearing one user's notices (bus.listen with the user as key); stop ends it. */
export type UserNoticeSubscriber = (user: string) => { stop(): void };

/** One user's notice subscription, and how many sessions' folders of the user are watched. */
interface WatchedUser {
  readonly subscription: { stop(): void };
  watchers: number;
}

/** A {@link MailboxChangeFeed} fed by `deliver`, which `subscribe` wires to each watched user's notices. */
export class NoticeChangeFeed implements MailboxChangeFeed {
  readonly #folders = new Map<string, WatchedFolder>();
  readonly #users = new Map<string, WatchedUser>();

  constructor(private readonly subscribe: UserNoticeSubscriber = () => ({ stop: () => undefined })) {}

  watch(user: string, folder: string, listener: ChangeListener): () => void {
    const key = folderKey(user, folder);
    let watched = this.#folders.get(key);
    if (watched === undefined) this.#folders.set(key, (watched = { listeners: new Set(), inFlight: new Map() }));
    const { listeners } = watched;
    listeners.add(listener);
    const releaseUser = this.#holdUser(user.toLowerCase());
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      listeners.delete(listener);
      if (listeners.size === 0 && this.#folders.get(key)?.listeners === listeners) this.#folders.delete(key);
      releaseUser();
    };
  }

  /** Users whose notices this process hears (tests). */
  get usersHeard(): number {
    return this.#users.size;
  }

  /** Counts one more watcher of the user, subscribing to the user's notices for the first; the returned function (called once) counts it out. */
  #holdUser(user: string): () => void {
    const held = this.#users.get(user) ?? this.#startHearing(user);
    held.watchers++;
    return () => {
      held.watchers--;
      if (held.watchers > 0) return;
      this.#users.delete(user);
      held.subscription.stop();
    };
  }

  #startHearing(user: string): WatchedUser {
    const held = { subscription: this.subscribe(user), watchers: 0 };
    this.#users.set(user, held);
    return held;
  }

  /** Hands a notice to the sessions watching its folder. */
  deliver(notice: Pick<MailboxChanged, 'user' | 'folder'>): void {
    const watched = this.#folders.get(folderKey(notice.user, notice.folder));
    if (watched === undefined) return;
    // Requests already sent may have read the folder before this change: the sessions it wakes ask anew
    watched.inFlight.clear();
    for (const listener of [...watched.listeners]) listener();
  }

  sharedChanges(store: FolderChangesSource): FolderChangesSource {
    return { folderChanges: (ask) => this.#share(ask, store) };
  }

  #share(ask: ChangesAsk, store: FolderChangesSource): Promise<ChangesReply> {
    const inFlight = this.#folders.get(folderKey(ask.user, ask.folder))?.inFlight;
    if (inFlight === undefined) return store.folderChanges(ask);
    const key = requestKey(ask);
    const pending = inFlight.get(key);
    if (pending !== undefined) return pending;
    const asked = store.folderChanges(ask).finally(() => {
      if (inFlight.get(key) === asked) inFlight.delete(key);
    });
    inFlight.set(key, asked);
    return asked;
  }

  /** Sessions watching, over all folders (tests, metrics). */
  get size(): number {
    let n = 0;
    for (const watched of this.#folders.values()) n += watched.listeners.size;
    return n;
  }

  /** Shared messages.changes requests in flight, over all folders (tests). */
  get requestsInFlight(): number {
    let n = 0;
    for (const watched of this.#folders.values()) n += watched.inFlight.size;
    return n;
  }
}
