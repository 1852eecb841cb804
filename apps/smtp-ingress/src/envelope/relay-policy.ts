/**
 * Relay tricks: forward-paths that name one of our domains but ask for the
 * message to go on elsewhere. The inbound listener is no open relay
 * (RFC 5321 §3.9, RFC 2505 §2), so each of these is refused at RCPT with
 * 550 5.7.1 rather than delivered to a local part that happens to match.
 */
import type { Mailbox } from '@mail/smtp';

/** The kinds of relay attempt recognised in a forward-path. */
export type RelayTrick = 'source-route' | 'percent-hack' | 'bang-path' | 'quoted-at';

/** Human-readable reasons, sent in the reply text. */
const DESCRIPTIONS: Readonly<Record<RelayTrick, string>> = {
  'source-route': 'source routes are not accepted',
  'percent-hack': '"%" in the local part is not accepted',
  'bang-path': '"!" in the local part is not accepted',
  'quoted-at': '"@" in a quoted local part is not accepted',
};

/**
 * The relay trick in `mailbox`, or undefined when it is a plain address.
 * The local part is checked unquoted, so `"a%b"@x` counts like `a%b@x`.
 */
export function relayTrick(mailbox: Mailbox): RelayTrick | undefined {
  // RFC 5321 §3.6.1 and Appendix C: source routes are deprecated; honouring one relays
  if (mailbox.sourceRoute.length > 0) return 'source-route';
  // RFC 5321 §3.6.1 (via RFC 1123 §5.2.16): the "percent hack" user%other@us
  if (mailbox.local.includes('%')) return 'percent-hack';
  // RFC 976 UUCP bang paths: other!user@us
  if (mailbox.local.includes('!')) return 'bang-path';
  // "user@other"@us: a downstream parser may split at the inner "@"
  if (mailbox.quoted && mailbox.local.includes('@')) return 'quoted-at';
  return undefined;
}

/** The reply text for a relay trick. */
export function describeRelayTrick(trick: RelayTrick): string {
  return DESCRIPTIONS[trick];
}
