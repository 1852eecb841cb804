/**
 * The checks of a folder name that CREATE, DELETE, RENAME, SUBSCRIBE and
 * APPEND make before asking mailbox-store: a name no folder can have (RFC
 * 9051 §5.1 leaves the rules to the server; the contract's FolderName says
 * them: no control characters, no wildcard, no empty level) never names an
 * existing folder, and would fail the request's own validation as if the
 * store were unreachable. The special use CREATE may give (RFC 6154 §3).
 */
import { CreateFolderRequest, FolderName, SpecialUse } from '@mail/contracts';
import { ImapResponseError } from '@mail/imap';

/** A name for an existing folder; one that cannot be a folder's is refused `NO [NONEXISTENT]`, or `NO [CANNOT]` where a name need not exist (SUBSCRIBE). */
export function existingFolderName(name: string, code: 'NONEXISTENT' | 'CANNOT' = 'NONEXISTENT'): string {
  if (FolderName.safeParse(name).success) return name;
  throw new ImapResponseError('NO', code === 'NONEXISTENT' ? 'No such mailbox' : 'Not a valid mailbox name', { code, userFault: true });
}

/** A name for a new folder (CREATE, RENAME's target): mailbox-store checks it further (invalid-folder); this only keeps the request valid. */
export function newFolderName(name: string): string {
  if (CreateFolderRequest.shape.name.safeParse(name).success) return name;
  throw new ImapResponseError('NO', 'Not a valid mailbox name', { code: 'CANNOT', userFault: true });
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
