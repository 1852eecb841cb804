/**
 * The checks of a folder name that every command naming a mailbox makes
 * before asking mailbox-store (SELECT/EXAMINE, STATUS, APPEND, COPY/MOVE,
 * CREATE, DELETE, RENAME, SUBSCRIBE, GETQUOTAROOT), with the one rule the
 * contract's FolderName says (no control characters, no wildcard, no empty
 * level, 1 to 500 characters): a request with another name would fail its
 * own validation as if the store were unreachable. RFC 9051 §5.1 leaves
 * the interpretation of names to the server and §9 lets a quoted string or
 * literal carry any of them, so such a name is no syntax error (BAD) but a
 * name no mailbox can have: `NO`, naming the rule it breaks (RFC 5530 §3
 * NONEXISTENT, or CANNOT where a name need not exist). The special use
 * CREATE may give (RFC 6154 §3).
 */
import { FOLDER_DELIMITER, FolderName, SpecialUse } from '@mail/contracts';
import { ImapResponseError } from '@mail/imap';

/** Why no folder can have `name` (the first rule of the contract's FolderName it breaks), or undefined when one can. */
export function folderNameProblem(name: string): string | undefined {
  const checked = FolderName.safeParse(name);
  return checked.success ? undefined : (checked.error.issues[0]?.message ?? 'not a folder name');
}

/**
 * A name for an existing folder. One no folder can have is refused `NO
 * [NONEXISTENT]` (RFC 5530 §3: there is no such mailbox, nor can there be),
 * or `NO [CANNOT]` where a name need not exist (SUBSCRIBE, RFC 9051 §6.3.7).
 * The text says which rule the name breaks; it never echoes the name (it
 * may hold control characters, and IMAP4rev1 response text is 7-bit).
 */
export function existingFolderName(name: string, code: 'NONEXISTENT' | 'CANNOT' = 'NONEXISTENT'): string {
  const problem = folderNameProblem(name);
  if (problem === undefined) return name;
  throw new ImapResponseError('NO', `No mailbox can have this name: ${problem}`, { code, userFault: true });
}

/**
 * A name for a new folder (CREATE, RENAME's target): the same rule once a
 * trailing delimiter is dropped (RFC 9051 §6.3.4: it only declares that
 * inferior names will follow; mailbox-store drops it too). `NO [CANNOT]`
 * (RFC 5530 §3: it can never succeed) naming the rule broken.
 */
export function newFolderName(name: string): string {
  const problem = folderNameProblem(name.endsWith(FOLDER_DELIMITER) ? name.slice(0, -1) : name);
  if (problem === undefined) return name;
  throw new ImapResponseError('NO', `No mailbox can have this name: ${problem}`, { code: 'CANNOT', userFault: true });
}

/** Special uses a folder can take: \All and \Flagged name virtual mailboxes (RFC 6154 §2), which this server does not keep. */
const REAL_FOLDER_USES: ReadonlySet<string> = new Set(SpecialUse.options.filter((use) => use !== '\\All' && use !== '\\Flagged'));

/** The one special use CREATE ... (USE (...)) asks for, if any. @throws ImapResponseError NO [USEATTR] (RFC 6154 §3) when it cannot be given. */
export function specialUseOf(attributes: readonly string[]): SpecialUse | undefined {
  if (attributes.length === 0) return undefined;
  if (attributes.length > 1) throw new ImapResponseError('NO', 'A mailbox has one special use here', { code: 'USEATTR', userFault: true });
  const use = attributes[0] as string;
  if (!REAL_FOLDER_USES.has(use)) throw new ImapResponseError('NO', `${use} is a virtual mailbox this server does not keep`, { code: 'USEATTR', userFault: true });
  return use as SpecialUse;
}
