/**
 * A mailbox-store for unit tests of whole IMAP sessions, in memory: users
 * with passwords, folders with messages (UIDs, flags, mod-sequences,
 * expunged UIDs) and the object store of APPEND messages, answering the
 * {@link MailboxStoreClient} requests as mailbox-store does, with its
 * refusal codes. Every request the session makes is checked against its
 * contract's schema first: a request the real bus would refuse to send is
 * recorded in `invalidRequests` (a session that turns client input into
 * one has a bug). Integration tests (test/) use the real services instead.
 */
import { createHash, randomUUID } from 'node:crypto';
import { RemoteError } from '@mail/bus';
import { Requests, FETCH_META_MAX_MESSAGES, type BodyReference, type FolderListing, type MessageFlags, type RequestDefinition, type UidRange } from '@mail/contracts';
import { storeRefusal, type MailboxStoreClient } from '../mailbox/mailbox-store-client';

type Client = MailboxStoreClient;

interface StoredMessage extends MessageFlags {
  readonly key: string;
  readonly octets: Buffer;
  readonly internalDate: string;
}

interface Folder {
  name: string;
  readonly specialUse: FolderListing['specialUse'];
  subscribed: boolean;
  readonly uidValidity: number;
  uidNext: number;
  highestModseq: number;
  messages: StoredMessage[];
  readonly expunged: { uid: number; modseq: number }[];
}

const MAX_UID = 4_294_967_295;
const PROTECTED = new Set(['INBOX', 'Junk']);

/** A refusal of mailbox-store, as the bus client turns it into an IMAP one. */
const refused = (code: string): unknown => storeRefusal('answer', new RemoteError(code, code));

/** RFC 9051 §5.1: INBOX in any case is the inbox. */
const canonical = (name: string): string => (name.toUpperCase() === 'INBOX' ? 'INBOX' : name);
const within = (uid: number, ranges: readonly UidRange[]): boolean => ranges.some((r) => uid >= Math.min(r.first, r.last) && uid <= Math.max(r.first, r.last));

/** Consecutive UIDs as ranges, ascending. */
function asRanges(uids: number[]): UidRange[] {
  const ranges: UidRange[] = [];
  for (const uid of [...uids].sort((a, b) => a - b)) {
    const last = ranges.at(-1);
    if (last !== undefined && last.last + 1 === uid) ranges[ranges.length - 1] = { first: last.first, last: uid };
    else ranges.push({ first: uid, last: uid });
  }
  return ranges;
}

export class InMemoryMailboxStore implements Client {
  readonly invalidRequests: string[] = [];
  readonly #passwords = new Map<string, string>();
  readonly #folders = new Map<string, Folder[]>();
  readonly #bodies = new Map<string, Buffer>();
  #nextUidValidity = 100;

  /** A user with INBOX (holding `messages`), Junk, Sent, Drafts and Trash. */
  addUser(user: string, password: string, messages: readonly string[]): void {
    this.#passwords.set(user, password);
    const folders = [this.#newFolder('INBOX', null), this.#newFolder('Junk', '\\Junk'), this.#newFolder('Sent', '\\Sent'), this.#newFolder('Drafts', '\\Drafts'), this.#newFolder('Trash', '\\Trash')];
    this.#folders.set(user, folders);
    for (const text of messages) this.#add(folders[0] as Folder, Buffer.from(text), []);
  }

  async verifyCredentials(username: string, password: string): Promise<string | undefined> {
    return this.#passwords.get(username) === password ? username : undefined;
  }

  async listFolders(ask: Parameters<Client['listFolders']>[0]): ReturnType<Client['listFolders']> {
    this.#check(Requests.listFolders, ask);
    const names = ask.names?.map(canonical);
    const folders = this.#user(ask.user).filter((f) => names === undefined || names.includes(f.name));
    return { folders: folders.map((f) => this.#listing(ask.user, f, ask.counts === true)), orphanSubscriptions: [] };
  }

  async selectFolder(ask: Parameters<Client['selectFolder']>[0]): ReturnType<Client['selectFolder']> {
    this.#check(Requests.selectFolder, ask);
    const folder = this.#folder(ask.user, ask.folder);
    const after = folder.messages.filter((m) => m.uid > (ask.afterUid ?? 0));
    const unseen = folder.messages.filter((m) => !m.flags.includes('\\Seen'));
    return {
      ...this.#state(folder),
      exists: folder.messages.length,
      unseen: unseen.length,
      firstUnseenUid: unseen[0]?.uid ?? null,
      messages: after.slice(0, ask.limit).map(flagsOf),
      more: after.length > ask.limit,
    };
  }

  async folderChanges(ask: Parameters<Client['folderChanges']>[0]): ReturnType<Client['folderChanges']> {
    this.#check(Requests.folderChanges, ask);
    const folder = this.#folder(ask.user, ask.folder);
    const inSet = (uid: number): boolean => ask.uids === undefined || within(uid, ask.uids);
    const changed = folder.messages.filter((m) => m.modseq > ask.since && m.uid > (ask.afterUid ?? 0) && inSet(m.uid));
    const vanished = asRanges(folder.expunged.filter((e) => e.modseq > ask.since && inSet(e.uid)).map((e) => e.uid));
    return { ...this.#state(folder), changed: changed.slice(0, ask.limit).map(flagsOf), more: changed.length > ask.limit, vanished };
  }

  async fetchMeta(ask: Parameters<Client['fetchMeta']>[0]): ReturnType<Client['fetchMeta']> {
    this.#check(Requests.fetchMeta, ask);
    const folder = this.#folder(ask.user, ask.folder);
    const matching = folder.messages.filter((m) => within(m.uid, ask.uids) && (ask.changedSince === undefined || m.modseq > ask.changedSince));
    const page = matching.slice(0, FETCH_META_MAX_MESSAGES);
    const next = matching[FETCH_META_MAX_MESSAGES];
    const messages = page.map((m) => ({
      ...flagsOf(m),
      key: m.key,
      internalDate: m.internalDate,
      size: m.octets.length,
      summary: { from: null, to: null, subject: null, date: null, messageId: null },
      ...(ask.header === true ? { header: headerSection(m.octets).toString('base64') } : {}),
    }));
    return next === undefined ? { messages } : { messages, nextUid: next.uid };
  }

  async storeFlags(ask: Parameters<Client['storeFlags']>[0]): ReturnType<Client['storeFlags']> {
    this.#check(Requests.storeFlags, ask);
    const folder = this.#folder(ask.user, ask.folder);
    const failed: number[] = [];
    const messages: MessageFlags[] = [];
    for (const message of folder.messages.filter((m) => within(m.uid, ask.uids))) {
      if (ask.unchangedSince !== undefined && message.modseq > ask.unchangedSince) {
        failed.push(message.uid);
        continue;
      }
      const flags = ask.action === 'replace' ? [...ask.flags] : ask.action === 'add' ? [...new Set([...message.flags, ...ask.flags])] : message.flags.filter((f) => !ask.flags.includes(f));
      if (flags.join(' ') !== message.flags.join(' ')) Object.assign(message, { flags, modseq: ++folder.highestModseq });
      messages.push(flagsOf(message));
    }
    return { highestModseq: folder.highestModseq, messages, failed };
  }

  async expungeFolder(ask: Parameters<Client['expungeFolder']>[0]): ReturnType<Client['expungeFolder']> {
    this.#check(Requests.expungeFolder, ask);
    const folder = this.#folder(ask.user, ask.folder);
    const gone = folder.messages.filter((m) => m.flags.includes('\\Deleted') && (ask.uids === undefined || within(m.uid, ask.uids))).map((m) => m.uid);
    this.#remove(folder, gone);
    return { expunged: gone, highestModseq: folder.highestModseq };
  }

  async copyMessages(ask: Parameters<Client['copyMessages']>[0]): ReturnType<Client['copyMessages']> {
    this.#check(Requests.copyMessages, ask);
    const from = this.#folder(ask.user, ask.folder);
    const to = this.#folder(ask.user, ask.to);
    const moved = from.messages.filter((m) => within(m.uid, ask.uids));
    const copied = moved.map((m) => ({ from: m.uid, to: this.#add(to, m.octets, m.flags).uid }));
    if (ask.move)
      this.#remove(
        from,
        moved.map((m) => m.uid),
      );
    return { uidValidity: to.uidValidity, copied, highestModseq: from.highestModseq };
  }

  async searchMessages(ask: Parameters<Client['searchMessages']>[0]): ReturnType<Client['searchMessages']> {
    this.#check(Requests.searchMessages, ask);
    const folder = this.#folder(ask.user, ask.folder);
    // The query is not evaluated: every message matches (what SEARCH answers is the session's concern here)
    return { uids: asRanges(folder.messages.map((m) => m.uid)), highestModseq: folder.messages.reduce((n, m) => Math.max(n, m.modseq), 0) };
  }

  async quota(ask: Parameters<Client['quota']>[0]): ReturnType<Client['quota']> {
    this.#check(Requests.quota, ask);
    const messages = this.#user(ask.user).flatMap((f) => f.messages);
    return { usedOctets: messages.reduce((n, m) => n + m.octets.length, 0), limitOctets: 10 * 1024 * 1024, messages: messages.length };
  }

  async createFolder(ask: Parameters<Client['createFolder']>[0]): ReturnType<Client['createFolder']> {
    this.#check(Requests.createFolder, ask);
    const name = canonical(ask.name.replace(/\/$/, ''));
    const folders = this.#user(ask.user);
    if (folders.some((f) => f.name === name)) throw refused('folder-exists');
    if (ask.specialUse !== undefined && folders.some((f) => f.specialUse === ask.specialUse)) throw refused('special-use-taken');
    const folder = this.#newFolder(name, ask.specialUse ?? null);
    folders.push(folder);
    return { name, uidValidity: folder.uidValidity };
  }

  async deleteFolder(ask: Parameters<Client['deleteFolder']>[0]): ReturnType<Client['deleteFolder']> {
    this.#check(Requests.deleteFolder, ask);
    const folder = this.#folder(ask.user, ask.name);
    if (PROTECTED.has(folder.name)) throw refused('folder-protected');
    this.#folders.set(
      ask.user,
      this.#user(ask.user).filter((f) => f !== folder),
    );
    return { deletedMessages: folder.messages.length };
  }

  async renameFolder(ask: Parameters<Client['renameFolder']>[0]): ReturnType<Client['renameFolder']> {
    this.#check(Requests.renameFolder, ask);
    const folder = this.#folder(ask.user, ask.from);
    const to = canonical(ask.to);
    if (this.#user(ask.user).some((f) => f.name === to)) throw refused('folder-exists');
    if (PROTECTED.has(folder.name)) throw refused('folder-protected');
    const from = folder.name;
    folder.name = to;
    return { renamed: [{ from, to }] };
  }

  async subscribeFolder(ask: Parameters<Client['subscribeFolder']>[0]): ReturnType<Client['subscribeFolder']> {
    this.#check(Requests.subscribeFolder, ask);
    const folder = this.#user(ask.user).find((f) => f.name === canonical(ask.name));
    const changed = folder !== undefined && folder.subscribed !== ask.subscribed;
    if (folder !== undefined) folder.subscribed = ask.subscribed;
    return { changed };
  }

  async appendMessage(ask: Parameters<Client['appendMessage']>[0]): ReturnType<Client['appendMessage']> {
    this.#check(Requests.appendMessage, ask);
    const folder = this.#folder(ask.user, ask.folder);
    const octets = ask.content.inline !== undefined ? Buffer.from(ask.content.inline, 'base64') : this.#bodies.get(ask.content.key);
    if (octets === undefined) throw refused('corrupt-body');
    const message = this.#add(folder, octets, ask.flags ?? []);
    return { uidValidity: folder.uidValidity, uid: message.uid, modseq: message.modseq };
  }

  async messageBody(content: Buffer): Promise<BodyReference> {
    return this.#keep(content);
  }

  async uploadMessageBody(chunks: AsyncIterable<Uint8Array>): Promise<BodyReference> {
    const parts: Buffer[] = [];
    for await (const chunk of chunks) parts.push(Buffer.from(chunk));
    return this.#keep(Buffer.concat(parts));
  }

  async deleteMessageBody(ref: BodyReference): Promise<void> {
    this.#bodies.delete(ref.key);
  }

  /** APPEND messages in the object store that no one deleted (a session should leave none). */
  get storedBodies(): number {
    return this.#bodies.size;
  }

  async *readRange(user: string, key: string, start: number, end: number): AsyncGenerator<Buffer> {
    const message = this.#user(user)
      .flatMap((f) => f.messages)
      .find((m) => m.key === key);
    if (message === undefined) throw refused('unknown-message');
    // In two pieces, as mailbox.fetch chunks would come
    const middle = Math.floor((start + end) / 2);
    if (middle > start) yield message.octets.subarray(start, middle);
    if (end > middle) yield message.octets.subarray(middle, end);
  }

  async readMessages(user: string, keys: readonly string[], maxOctets: number): Promise<Map<string, Buffer>> {
    const messages = this.#user(user).flatMap((f) => f.messages);
    const answered = new Map<string, Buffer>();
    let octets = 0;
    for (const key of keys) {
      const message = messages.find((m) => m.key === key);
      if (message === undefined) continue;
      if (octets + message.octets.length > maxOctets) break;
      answered.set(key, Buffer.from(message.octets));
      octets += message.octets.length;
    }
    return answered;
  }

  #keep(content: Buffer): BodyReference {
    const key = `body-${randomUUID()}`;
    this.#bodies.set(key, content);
    return { bucket: 'bodies', key, size: content.length, sha256: createHash('sha256').update(content).digest('hex') };
  }

  #check(definition: RequestDefinition, ask: object): void {
    const checked = definition.request.safeParse({ version: 1, ...ask });
    if (!checked.success) {
      this.invalidRequests.push(`${definition.name}: ${checked.error.message}`);
      throw refused('bad-request');
    }
  }

  #user(user: string): Folder[] {
    const folders = this.#folders.get(user);
    if (folders === undefined) throw refused('unknown-user');
    return folders;
  }

  #folder(user: string, name: string): Folder {
    const folder = this.#user(user).find((f) => f.name === canonical(name));
    if (folder === undefined) throw refused('unknown-folder');
    return folder;
  }

  #newFolder(name: string, specialUse: FolderListing['specialUse']): Folder {
    return { name, specialUse, subscribed: true, uidValidity: this.#nextUidValidity++, uidNext: 1, highestModseq: 1, messages: [], expunged: [] };
  }

  #add(folder: Folder, octets: Buffer, flags: readonly string[]): StoredMessage {
    if (folder.uidNext >= MAX_UID) throw refused('internal');
    const message: StoredMessage = { uid: folder.uidNext++, flags: [...flags], modseq: ++folder.highestModseq, key: `entry-${randomUUID()}`, octets, internalDate: '2024-05-01T10:00:00.000Z' };
    folder.messages.push(message);
    return message;
  }

  #remove(folder: Folder, uids: number[]): void {
    if (uids.length === 0) return;
    const modseq = ++folder.highestModseq;
    folder.messages = folder.messages.filter((m) => !uids.includes(m.uid));
    folder.expunged.push(...uids.map((uid) => ({ uid, modseq })));
  }

  #state(folder: Folder) {
    return { uidValidity: folder.uidValidity, uidNext: folder.uidNext, highestModseq: folder.highestModseq, specialUse: folder.specialUse };
  }

  #listing(user: string, folder: Folder, counts: boolean): FolderListing {
    const all = this.#user(user);
    const listing: FolderListing = {
      ...this.#state(folder),
      name: folder.name,
      subscribed: folder.subscribed,
      hasChildren: all.some((f) => f.name.startsWith(`${folder.name}/`)),
    };
    if (!counts) return listing;
    const m = folder.messages;
    return {
      ...listing,
      counts: {
        messages: m.length,
        unseen: m.filter((x) => !x.flags.includes('\\Seen')).length,
        deleted: m.filter((x) => x.flags.includes('\\Deleted')).length,
        size: m.reduce((n, x) => n + x.octets.length, 0),
      },
    };
  }
}

const flagsOf = (m: MessageFlags): MessageFlags => ({ uid: m.uid, flags: [...m.flags], modseq: m.modseq });

/** The header section: up to and including the empty line (the whole message when it has none). */
function headerSection(octets: Buffer): Buffer {
  const end = octets.indexOf('\r\n\r\n');
  return end < 0 ? octets : octets.subarray(0, end + 4);
}
