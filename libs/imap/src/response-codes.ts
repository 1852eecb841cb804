// Response codes: the bracketed `[CODE data]` after OK/NO/BAD/BYE/PREAUTH
// (RFC 9051 §7.1), with the codes of the extensions this library speaks.
// formatResponseCode is the one place they are serialized.

import { formatSequenceSet } from './sequence-set';
import { formatAtomOrQuoted } from './wire-string';

/** Response codes without data. */
export type BareResponseCode =
  /** RFC 9051 §7.1: text the user must see. */
  | 'ALERT'
  /** RFC 9051 §7.1: the credentials were refused (the reason stays unsaid). */
  | 'AUTHENTICATIONFAILED'
  /** RFC 9051 §7.1: the credentials were right but may not act as the authorization identity. */
  | 'AUTHORIZATIONFAILED'
  | 'EXPIRED'
  | 'PRIVACYREQUIRED'
  | 'CONTACTADMIN'
  | 'NOPERM'
  | 'INUSE'
  | 'EXPUNGEISSUED'
  | 'CORRUPTION'
  | 'SERVERBUG'
  | 'CLIENTBUG'
  | 'CANNOT'
  | 'LIMIT'
  | 'OVERQUOTA'
  | 'ALREADYEXISTS'
  | 'NONEXISTENT'
  | 'UNAVAILABLE'
  | 'HASCHILDREN'
  | 'PARSE'
  | 'READ-ONLY'
  | 'READ-WRITE'
  | 'TRYCREATE'
  | 'UIDNOTSTICKY'
  | 'UNKNOWN-CTE'
  /** RFC 9051 §7.1: the previous mailbox was closed by this SELECT/EXAMINE (QRESYNC, RFC 7162 §3.2.11). */
  | 'CLOSED'
  /** RFC 6154 §3: CREATE's USE attribute is unknown or cannot be given to that mailbox. */
  | 'USEATTR'
  /** RFC 4469 / RFC 7889: the command (usually APPEND) is too large. */
  | 'TOOBIG'
  /** RFC 7162 §3.1.2.2: the mailbox does not support mod-sequences. */
  | 'NOMODSEQ'
  /** RFC 5182 §2.1: SEARCH RETURN (SAVE) could not save. */
  | 'NOTSAVED';

/** A response code, bare or with its data. */
export type ResponseCode =
  | BareResponseCode
  /** RFC 9051 §7.1: the UID validity of the selected mailbox. */
  | { readonly kind: 'UIDVALIDITY'; readonly value: number }
  /** RFC 9051 §7.1: the next UID that will be assigned. */
  | { readonly kind: 'UIDNEXT'; readonly value: number }
  /** RFC 3501 §7.1 (IMAP4rev1 only): the first unseen message. */
  | { readonly kind: 'UNSEEN'; readonly value: number }
  /** RFC 7162 §3.1.2.1: the highest mod-sequence of the mailbox. */
  | { readonly kind: 'HIGHESTMODSEQ'; readonly value: bigint }
  /** RFC 9051 §7.1: flags the client can change permanently (`\*`: new keywords allowed). */
  | { readonly kind: 'PERMANENTFLAGS'; readonly flags: readonly string[] }
  /** RFC 9051 §7.1: the capability list, saving a CAPABILITY round trip. */
  | { readonly kind: 'CAPABILITY'; readonly capabilities: readonly string[] }
  /** RFC 4315 §3 (UIDPLUS): the UID validity and UIDs of appended messages. */
  | { readonly kind: 'APPENDUID'; readonly uidValidity: number; readonly uids: readonly number[] }
  /** RFC 4315 §3 (UIDPLUS): source and destination UIDs of copied/moved messages, in corresponding order. */
  | { readonly kind: 'COPYUID'; readonly uidValidity: number; readonly source: readonly number[]; readonly destination: readonly number[] }
  /** RFC 9051 §7.1: the charsets SEARCH supports. */
  | { readonly kind: 'BADCHARSET'; readonly charsets: readonly string[] }
  /** RFC 7162 §3.1.3: messages whose UNCHANGEDSINCE test failed (numbers or UIDs as the command used). */
  | { readonly kind: 'MODIFIED'; readonly numbers: readonly number[] }
  /** RFC 7889 §3: the largest APPEND the server accepts. */
  | { readonly kind: 'APPENDLIMIT'; readonly octets: number };

/** `[CODE data]` without the brackets, e.g. `UIDVALIDITY 3857529045`. */
export function formatResponseCode(code: ResponseCode): string {
  if (typeof code === 'string') return code;
  switch (code.kind) {
    case 'UIDVALIDITY':
    case 'UIDNEXT':
    case 'UNSEEN':
    case 'HIGHESTMODSEQ':
      return `${code.kind} ${code.value}`;
    case 'PERMANENTFLAGS':
      return `PERMANENTFLAGS (${code.flags.join(' ')})`;
    case 'CAPABILITY':
      return `CAPABILITY ${code.capabilities.join(' ')}`;
    case 'APPENDUID':
      // RFC 4315 §3: append-uid is a uniqueid, or a uid-set for MULTIAPPEND
      return `APPENDUID ${code.uidValidity} ${formatSequenceSet(code.uids)}`;
    case 'COPYUID':
      // RFC 4315 §3: the two sets are in corresponding order, so they are not sorted
      return `COPYUID ${code.uidValidity} ${formatSequenceSet(code.source, { keepOrder: true })} ${formatSequenceSet(code.destination, { keepOrder: true })}`;
    case 'BADCHARSET':
      return code.charsets.length === 0 ? 'BADCHARSET' : `BADCHARSET (${code.charsets.map((c) => formatAtomOrQuoted(c)).join(' ')})`;
    case 'MODIFIED':
      return `MODIFIED ${formatSequenceSet(code.numbers)}`;
    case 'APPENDLIMIT':
      return `APPENDLIMIT ${code.octets}`;
  }
}
