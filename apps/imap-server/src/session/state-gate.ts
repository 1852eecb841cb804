/**
 * Which command may run in which state (RFC 9051 §6: "valid in any state",
 * §6.2 Not Authenticated, §6.3 Authenticated — also valid when a mailbox is
 * selected — §6.4 Selected), and the error budget: a client whose mistakes
 * reach IMAP_MAX_ERRORS is told BYE (abuse limits live here, not in handlers).
 */
import { ImapResponseError, type ImapCommandKind } from '@mail/imap';
import type { ProtocolState } from './session-state';

type StateKind = ProtocolState['kind'];

const ANY: readonly ImapCommandKind[] = ['CAPABILITY', 'NOOP', 'LOGOUT', 'ID'];
const NOT_AUTHENTICATED: readonly ImapCommandKind[] = ['STARTTLS', 'AUTHENTICATE', 'LOGIN'];
const AUTHENTICATED: readonly ImapCommandKind[] = [
  'SELECT',
  'EXAMINE',
  'CREATE',
  'DELETE',
  'RENAME',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'LIST',
  'LSUB',
  'NAMESPACE',
  'STATUS',
  'APPEND',
  'IDLE',
  'GETQUOTA',
  'GETQUOTAROOT',
  'SETQUOTA',
];
const SELECTED: readonly ImapCommandKind[] = ['CHECK', 'CLOSE', 'UNSELECT', 'EXPUNGE', 'SEARCH', 'FETCH', 'STORE', 'COPY', 'MOVE'];

const ALLOWED: Record<StateKind, ReadonlySet<ImapCommandKind>> = {
  'not-authenticated': new Set([...ANY, ...NOT_AUTHENTICATED]),
  // RFC 5161 §3.1: ENABLE only in the authenticated state
  authenticated: new Set([...ANY, ...AUTHENTICATED, 'ENABLE']),
  selected: new Set([...ANY, ...AUTHENTICATED, ...SELECTED]),
  logout: new Set(),
};

/** @throws ImapResponseError BAD when the command is not valid in this state. */
export function admitCommand(state: ProtocolState, kind: ImapCommandKind, tag: string): void {
  if (ALLOWED[state.kind].has(kind)) return;
  const why =
    state.kind === 'not-authenticated' ? 'log in first' : NOT_AUTHENTICATED.includes(kind) ? 'already authenticated' : kind === 'ENABLE' ? 'ENABLE is valid only before SELECT' : 'no mailbox selected';
  throw new ImapResponseError('BAD', `${kind} not valid now: ${why}`, { tag, userFault: true });
}

/** The BYE for a client over its error budget. */
export function tooManyErrors(): ImapResponseError {
  return new ImapResponseError('BYE', 'Too many invalid commands', { userFault: true });
}
