/** What the commands on the selected mailbox share: the mailbox and user of the session, and UID sets cut to the contracts' size. */
import { UID_SET_MAX_RANGES, type UidRange } from '@mail/contracts';
import type { CommandContext } from '../session/command-context';
import { uidRanges, type SelectedMailbox } from '../session/selected-mailbox';

/** The selected mailbox (the state gate admitted the command, so there is one). */
export function selectedMailbox(ctx: CommandContext): { readonly user: string; readonly mailbox: SelectedMailbox } {
  const state = ctx.session.protocol;
  if (state.kind !== 'selected') throw new Error(`no mailbox selected (state ${state.kind})`);
  return { user: state.user, mailbox: state.mailbox };
}

/** Ascending UIDs as UID sets of at most UID_SET_MAX_RANGES ranges each (one request per set). */
export function uidSets(uids: readonly number[]): UidRange[][] {
  const ranges = uidRanges(uids);
  const sets: UidRange[][] = [];
  for (let i = 0; i < ranges.length; i += UID_SET_MAX_RANGES) sets.push(ranges.slice(i, i + UID_SET_MAX_RANGES));
  return sets;
}
