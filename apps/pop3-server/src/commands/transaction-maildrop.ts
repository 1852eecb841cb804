/**
 * Access to the logged-in user and maildrop for the TRANSACTION-state
 * handlers. The state gate lets those commands through only after login, so
 * a missing maildrop here is a bug, not a client error.
 */
import type { Maildrop } from '../maildrop/maildrop';
import type { CommandContext } from '../session/command-context';

/** The user and numbered maildrop of a logged-in session. */
export interface TransactionMaildrop {
  readonly user: string;
  readonly maildrop: Maildrop;
}

/** @throws Error when called before login (the gate should have refused the command). */
export function transactionMaildrop(ctx: CommandContext): TransactionMaildrop {
  const { user, maildrop } = ctx.session;
  if (user === undefined || maildrop === undefined) {
    throw new Error(`maildrop command reached a handler in the ${ctx.session.state} state`);
  }
  return { user, maildrop };
}
