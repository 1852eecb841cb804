/**
 * The `mail.v1.mailbox.changed` notices (@mail/contracts Notices) handed to
 * the sessions that have the changed folder selected: one subscription per
 * process, a map from user and folder to the sessions watching it, so a
 * notice costs one lookup however many sessions are open. A session only
 * learns that something changed; it then asks messages.changes (the truth),
 * so a lost notice delays an update, never corrupts one.
 */
import type { MailboxChanged } from '@mail/contracts';

/** Called when the watched folder changed. */
export type ChangeListener = () => void;

/** Where sessions register for changes of their selected folder. */
export interface MailboxChangeFeed {
  /** Watch `folder` of `user`; call the returned function to stop. */
  watch(user: string, folder: string, listener: ChangeListener): () => void;
}

/** RFC 9051 §5.1: INBOX is case-insensitive; other names are compared as they are. */
function folderKey(user: string, folder: string): string {
  return `${user.toLowerCase()}\u0000${folder.toUpperCase() === 'INBOX' ? 'INBOX' : folder}`;
}

/** A {@link MailboxChangeFeed} fed by `deliver` (the service wires it to bus.listen). */
export class NoticeChangeFeed implements MailboxChangeFeed {
  readonly #watchers = new Map<string, Set<ChangeListener>>();

  watch(user: string, folder: string, listener: ChangeListener): () => void {
    const key = folderKey(user, folder);
    let set = this.#watchers.get(key);
    if (set === undefined) this.#watchers.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#watchers.get(key) === set) this.#watchers.delete(key);
    };
  }

  /** Hands a notice to the sessions watching its folder. */
  deliver(notice: Pick<MailboxChanged, 'user' | 'folder'>): void {
    const set = this.#watchers.get(folderKey(notice.user, notice.folder));
    if (set === undefined) return;
    for (const listener of [...set]) listener();
  }

  /** Sessions watching, over all folders (tests, metrics). */
  get size(): number {
    let n = 0;
    for (const set of this.#watchers.values()) n += set.size;
    return n;
  }
}
