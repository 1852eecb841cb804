/**
 * The state gate: decides whether a parsed command may run in the session's
 * current state (RFC 1939 §3-6), and keeps the abuse limit on rejected
 * commands. It runs after the parser and before any handler.
 */
import { Pop3ResponseError, type Pop3Command, type Pop3CommandKind } from '@mail/pop3';
import type { Pop3State } from './session-state';

/** Which commands each state accepts. */
export const COMMANDS_BY_STATE: Readonly<Record<Pop3State, ReadonlySet<Pop3CommandKind>>> = {
  // RFC 1939 §4: USER/PASS, APOP and QUIT; RFC 2449 §5 CAPA in both states;
  // RFC 2595 §4 STLS and RFC 5034 §4 AUTH before authentication only.
  AUTHORIZATION: new Set(['USER', 'PASS', 'APOP', 'AUTH', 'STLS', 'CAPA', 'QUIT']),
  // RFC 1939 §5 and §7: the maildrop commands, the optional TOP and UIDL, CAPA.
  TRANSACTION: new Set(['STAT', 'LIST', 'RETR', 'DELE', 'NOOP', 'RSET', 'TOP', 'UIDL', 'CAPA', 'QUIT']),
  // RFC 1939 §6: the session ends in UPDATE; nothing more is read.
  UPDATE: new Set(),
};

/**
 * Lets the command through or throws the `-ERR` that refuses it.
 *
 * @throws Pop3ResponseError (userFault) `unknown command`, or
 *   `<CMD> not allowed in <STATE> state`.
 */
export function admitCommand(state: Pop3State, command: Pop3Command): void {
  // RFC 1939 §3: an unrecognized command gets a negative response.
  if (command.kind === 'UNKNOWN') throw new Pop3ResponseError('unknown command');
  if (!COMMANDS_BY_STATE[state].has(command.kind)) {
    throw new Pop3ResponseError(`${command.kind} not allowed in ${state} state`);
  }
}

/**
 * Counts `-ERR` replies the client caused (syntax, unknown or misplaced
 * commands, wrong passwords) and says when the session should be closed, so
 * one client cannot keep a connection busy with garbage or guess passwords
 * forever.
 */
export class ErrorBudget {
  #errors = 0;

  constructor(private readonly maxErrors: number) {}

  /** Records one client error; true when the limit is reached and the session must close. */
  recordError(): boolean {
    this.#errors += 1;
    return this.#errors >= this.maxErrors;
  }
}
