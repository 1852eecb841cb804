/**
 * The state of an IMAP session (RFC 9051 §3): Not Authenticated,
 * Authenticated, Selected and Logout, as a discriminated union that carries
 * the data of each state — the user only once logged in, the mailbox only
 * while one is selected — plus what holds across states (TLS, ENABLEd
 * extensions, the error budget).
 */
import type { WireStringOptions } from '@mail/imap';
import type { SelectedMailbox } from './selected-mailbox';

/** RFC 9051 §3: the protocol state with its data. */
export type ProtocolState =
  | { readonly kind: 'not-authenticated' }
  | { readonly kind: 'authenticated'; readonly user: string }
  /** `unwatch` ends the change notices of the mailbox (mailbox-change-feed.ts). */
  | { readonly kind: 'selected'; readonly user: string; readonly mailbox: SelectedMailbox; readonly unwatch: () => void }
  | { readonly kind: 'logout' };

/** One session's state, shared by the dispatcher and the handlers. */
export interface SessionState {
  readonly id: string;
  /** `address:port` of the client (logs). */
  readonly remoteAddress: string;
  /** The IP address alone (loopback test for plaintext logins). */
  readonly remoteIp: string;
  /** The client network the brute-force limits count (IPv4 address, IPv6 /64). */
  readonly clientNetwork: string;
  protocol: ProtocolState;
  /** RFC 5161 ENABLE: the extensions the client turned on (IMAP4REV2, CONDSTORE, QRESYNC, UTF8=ACCEPT); CONDSTORE also by its enabling commands (condstore.ts). */
  readonly enabled: Set<string>;
  /** Responses caused by the client's mistakes so far (BAD, and NO that were its fault). */
  errors: number;
  /** A notice said the selected mailbox changed since the session last synchronized it. */
  changesPending: boolean;
  /** Called on such a notice while a command waits for one (IDLE). */
  onChange: (() => void) | undefined;
}

export function newSessionState(id: string, remoteIp: string, remotePort: number | undefined, clientNetwork: string): SessionState {
  return {
    id,
    remoteAddress: `${remoteIp}:${remotePort ?? '?'}`,
    remoteIp,
    clientNetwork,
    protocol: { kind: 'not-authenticated' },
    enabled: new Set(),
    errors: 0,
    changesPending: false,
    onChange: undefined,
  };
}

/** Leaves the selected state (CLOSE, UNSELECT, another SELECT, the end of the session): stops the mailbox's notices. */
export function deselect(state: SessionState): void {
  if (state.protocol.kind !== 'selected') return;
  state.protocol.unwatch();
  state.protocol = { kind: 'authenticated', user: state.protocol.user };
  state.changesPending = false;
}

/** The user of an authenticated or selected session. */
export function userOf(state: SessionState): string | undefined {
  return state.protocol.kind === 'authenticated' || state.protocol.kind === 'selected' ? state.protocol.user : undefined;
}

/** How a session's responses are written, as the extensions it enabled ask. */
export interface SessionWireOptions extends WireStringOptions {
  /** FETCH responses the server sends on its own carry UID and MODSEQ (RFC 7162 §3.1). */
  readonly condstore: boolean;
  /** Expunges are reported as `* VANISHED uids`, never `* n EXPUNGE` (RFC 7162 §3.2.10). */
  readonly qresync: boolean;
}

/**
 * RFC 9051 §4.3, RFC 6855 §3: UTF-8 may go out in quoted strings once
 * IMAP4rev2 or UTF8=ACCEPT is enabled; RFC 7162 §3.1, §3.2.3: MODSEQ in
 * updates once CONDSTORE is (QRESYNC implies it), VANISHED once QRESYNC is.
 */
export function wireOptions(state: SessionState): SessionWireOptions {
  return {
    utf8: state.enabled.has('IMAP4REV2') || state.enabled.has('UTF8=ACCEPT'),
    condstore: state.enabled.has('CONDSTORE') || state.enabled.has('QRESYNC'),
    qresync: state.enabled.has('QRESYNC'),
  };
}
