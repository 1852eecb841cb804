/**
 * The mutable state of one POP3 session: its RFC 1939 state, who is logged
 * in, the numbered maildrop, the lock that protects it and the messages
 * prefetched for RETR.
 */
import type { Maildrop } from '../maildrop/maildrop';
import type { MaildropLock } from '../maildrop/maildrop-lock';
import { PrefetchedMessages } from '../maildrop/prefetched-messages';

/** The three states of a POP3 session (RFC 1939 §3). */
export type Pop3State = 'AUTHORIZATION' | 'TRANSACTION' | 'UPDATE';

/** Everything a session remembers between commands. */
export interface SessionState {
  /** Random id of the session: in every log line and the value of the maildrop lock. */
  readonly id: string;
  /** The client's address and port, for the log. */
  readonly remoteAddress: string;
  /** The client network the brute-force limits count (clientNetwork of @mail/login-limits). */
  readonly clientNetwork: string;
  /** The timestamp of the greeting when APOP is offered (RFC 1939 §7), else undefined. */
  apopTimestamp: string | undefined;
  state: Pop3State;
  /** The name given by USER, waiting for PASS (RFC 1939 §7). */
  pendingUser: string | undefined;
  /** The authenticated user (canonical address from mailbox-store) once in TRANSACTION. */
  user: string | undefined;
  /** The maildrop listed at login, numbered for the whole session (RFC 1939 §5). */
  maildrop: Maildrop | undefined;
  /** The exclusive-access lock taken at login (RFC 1939 §8). */
  lock: MaildropLock | undefined;
  /** Small messages fetched ahead for RETR (maildrop/retr-prefetch.ts). */
  readonly prefetched: PrefetchedMessages;
}

/** A fresh session in the AUTHORIZATION state. */
export function newSessionState(id: string, remoteAddress: string, clientNetwork = remoteAddress): SessionState {
  return {
    id,
    remoteAddress,
    clientNetwork,
    apopTimestamp: undefined,
    state: 'AUTHORIZATION',
    pendingUser: undefined,
    user: undefined,
    maildrop: undefined,
    lock: undefined,
    prefetched: new PrefetchedMessages(),
  };
}
