// The typed command union the parser produces (RFC 9051 §6 and the
// extensions of issue 18). A session's state gate switches on `kind`;
// every command carries its tag for the tagged response.

import type { FetchRequest } from './fetch-items';
import type { ZonedDateTime } from './imap-date';
import type { SearchProgram } from './search-parser';
import type { SequenceSet } from './sequence-set';

/** RFC 7162 §3.2.5: the QRESYNC parameter of SELECT/EXAMINE. */
export interface QresyncParameters {
  readonly uidValidity: number;
  readonly modseq: bigint;
  readonly knownUids?: SequenceSet;
  /** RFC 7162 §3.2.5.2: sequence numbers and the UIDs the client knows them by. */
  readonly sequenceMatch?: { readonly sequenceNumbers: SequenceSet; readonly uids: SequenceSet };
}

/** RFC 9051 §6.3.11 STATUS items (RECENT is IMAP4rev1, HIGHESTMODSEQ RFC 7162 §3.1.6, APPENDLIMIT RFC 7889 §4). */
export type StatusItem = 'MESSAGES' | 'UIDNEXT' | 'UIDVALIDITY' | 'UNSEEN' | 'DELETED' | 'SIZE' | 'RECENT' | 'HIGHESTMODSEQ' | 'APPENDLIMIT';

/** RFC 5258 §3.1 selection options, RFC 6154 §5.1 SPECIAL-USE. */
export interface ListSelectionOptions {
  readonly subscribed: boolean;
  readonly remote: boolean;
  readonly recursiveMatch: boolean;
  readonly specialUse: boolean;
}

/** RFC 5258 §3.2 return options, RFC 6154 §5.1 SPECIAL-USE, RFC 5819 STATUS. */
export interface ListReturnOptions {
  readonly subscribed: boolean;
  readonly children: boolean;
  readonly specialUse: boolean;
  readonly status?: readonly StatusItem[];
}

/** One message of APPEND (several with MULTIAPPEND, RFC 3502). */
export interface AppendMessage {
  readonly flags: readonly string[];
  readonly internalDate?: ZonedDateTime;
  readonly content: Buffer;
  /** Sent as literal8 (RFC 3516 §4.4): may hold NUL and binary parts. */
  readonly binary: boolean;
}

/** STORE's operation (RFC 9051 §6.4.6). */
export interface StoreOperation {
  readonly action: 'replace' | 'add' | 'remove';
  /** `.SILENT`: no untagged FETCH for the changes. */
  readonly silent: boolean;
  readonly flags: readonly string[];
}

type Tagged<T> = T & { readonly tag: string };

/** A parsed command. */
export type ImapCommand = Tagged<
  | { readonly kind: 'CAPABILITY' | 'NOOP' | 'LOGOUT' | 'STARTTLS' | 'IDLE' | 'CLOSE' | 'UNSELECT' | 'NAMESPACE' | 'CHECK' }
  /** RFC 9051 §6.2.2, RFC 4959 SASL-IR: the initial response as sent (BASE64, or "=" for empty). */
  | { readonly kind: 'AUTHENTICATE'; readonly mechanism: string; readonly initialResponse?: string }
  | { readonly kind: 'LOGIN'; readonly username: string; readonly password: string }
  /** RFC 5161: capability names, upper-cased. */
  | { readonly kind: 'ENABLE'; readonly capabilities: readonly string[] }
  | { readonly kind: 'SELECT' | 'EXAMINE'; readonly mailbox: string; readonly condstore: boolean; readonly qresync?: QresyncParameters }
  /** RFC 6154 §3: CREATE with USE (special-use attributes). */
  | { readonly kind: 'CREATE'; readonly mailbox: string; readonly specialUse: readonly string[] }
  | { readonly kind: 'DELETE' | 'SUBSCRIBE' | 'UNSUBSCRIBE'; readonly mailbox: string }
  | { readonly kind: 'RENAME'; readonly from: string; readonly to: string }
  /** RFC 9051 §6.3.9 with RFC 5258 extended LIST; `extended` when any option or several patterns were given. */
  | {
      readonly kind: 'LIST';
      readonly reference: string;
      readonly patterns: readonly string[];
      readonly selection: ListSelectionOptions;
      readonly returns: ListReturnOptions;
      readonly extended: boolean;
    }
  | { readonly kind: 'LSUB'; readonly reference: string; readonly pattern: string }
  | { readonly kind: 'STATUS'; readonly mailbox: string; readonly items: readonly StatusItem[] }
  | { readonly kind: 'APPEND'; readonly mailbox: string; readonly messages: readonly AppendMessage[] }
  /** EXPUNGE, or UID EXPUNGE with its UID set (RFC 9051 §6.4.9, RFC 4315 §2.1). */
  | { readonly kind: 'EXPUNGE'; readonly uids?: SequenceSet }
  | ({ readonly kind: 'SEARCH'; readonly uid: boolean } & SearchProgram)
  | ({ readonly kind: 'FETCH'; readonly uid: boolean; readonly sequenceSet: SequenceSet } & FetchRequest)
  /** RFC 7162 §3.1.3: UNCHANGEDSINCE. */
  | { readonly kind: 'STORE'; readonly uid: boolean; readonly sequenceSet: SequenceSet; readonly unchangedSince?: bigint; readonly operation: StoreOperation }
  | { readonly kind: 'COPY' | 'MOVE'; readonly uid: boolean; readonly sequenceSet: SequenceSet; readonly mailbox: string }
  /** RFC 9208 §4. */
  | { readonly kind: 'GETQUOTA'; readonly root: string }
  | { readonly kind: 'GETQUOTAROOT'; readonly mailbox: string }
  | { readonly kind: 'SETQUOTA'; readonly root: string; readonly limits: readonly { readonly resource: string; readonly limit: bigint }[] }
  /** RFC 2971 §3.1: field/value pairs, or null for NIL. */
  | { readonly kind: 'ID'; readonly parameters: readonly (readonly [string, string | null])[] | null }
>;

/** The kind of a command. */
export type ImapCommandKind = ImapCommand['kind'];
