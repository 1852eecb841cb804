// Arguments shared by several commands (RFC 9051 §9): mailbox names in the
// client's encoding, flags and flag lists, sequence sets.

import { decodeUtf8, type CommandScanner, type CommandStructureLimits } from './command-scanner';
import { decodeMailboxName, type MailboxNameOptions } from './mailbox-name';
import { syntaxError } from './response-error';
import { parseSequenceSet, type SequenceSet } from './sequence-set';

/** How the parser reads this client's commands. */
export interface CommandParseOptions extends MailboxNameOptions {
  /** Structure bounds (nesting depth, arguments). */
  readonly limits?: CommandStructureLimits;
}

/**
 * RFC 9051 §9: mailbox = "INBOX" / astring; decoded from modified UTF-7 for
 * IMAP4rev1 clients (RFC 3501 §5.1.3) or as UTF-8 (RFC 9051 §5.1), INBOX
 * normalized (RFC 9051 §5.1).
 */
export function parseMailbox(s: CommandScanner, options: MailboxNameOptions): string {
  const octets = s.astring('a mailbox name');
  // RFC 3501 §5.1.3: IMAP4rev1 names are 7-bit; only UTF-8-enabled clients send 8-bit names
  const text = options.utf8 ? decodeUtf8(octets, 'mailbox name') : octets.toString('latin1');
  if (/[\r\n]/.test(text)) throw syntaxError('Invalid mailbox name');
  return decodeMailboxName(text, options);
}

/** RFC 9051 §9: list-mailbox = 1*list-char / string, list-char = ATOM-CHAR / list-wildcards / resp-specials. */
export function parseListMailbox(s: CommandScanner, options: MailboxNameOptions): string {
  if (s.at(0x22) || s.atLiteral()) {
    const octets = s.string('a mailbox pattern');
    return options.utf8 ? decodeUtf8(octets, 'mailbox pattern') : decodeMailboxName(octets.toString('latin1'), { utf8: false });
  }
  const text = s.token('a mailbox pattern', '%*]');
  return options.utf8 ? text : decodeMailboxName(text, { utf8: false });
}

/** The system flags of RFC 9051 §2.3.2, in their canonical case. */
export const SYSTEM_FLAGS = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'] as const;
const CANONICAL = new Map<string, string>([...SYSTEM_FLAGS, '\\Recent'].map((f) => [f.toLowerCase(), f]));

/**
 * RFC 9051 §9: flag = "\Answered" / "\Flagged" / "\Deleted" / "\Seen" /
 * "\Draft" / flag-keyword / flag-extension; system flags come back in their
 * canonical case (flags are case-insensitive, RFC 9051 §2.3.2).
 */
export function parseFlag(s: CommandScanner): string {
  if (s.accept(0x5c)) {
    const name = `\\${s.atom('a flag name')}`;
    return CANONICAL.get(name.toLowerCase()) ?? name;
  }
  return s.atom('a flag');
}

/** RFC 9051 §9: flag-list = "(" [flag *(SP flag)] ")". \Recent cannot be set by a client (RFC 3501 §2.3.2). */
export function parseFlagList(s: CommandScanner): string[] {
  const flags = s.list(() => parseFlag(s), { allowEmpty: true, what: 'flags' });
  if (flags.includes('\\Recent')) throw syntaxError('\\Recent cannot be set');
  return flags;
}

/** A sequence set argument (RFC 9051 §9 sequence-set; "$" RFC 5182). */
export function parseSequenceSetArgument(s: CommandScanner): SequenceSet {
  return parseSequenceSet(s.token('a sequence set', '*:,$'));
}
