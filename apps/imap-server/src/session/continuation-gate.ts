/**
 * The decision before a synchronizing literal's `+`. RFC 9051 §2.2.1: a
 * server that finds an error in a command answers it with a tagged
 * completion response instead of the `+`, which rejects the command, and
 * the client sends no more of it (RFC 7889 §3's `NO [TOOBIG]` is one; the
 * CommandReader refuses that itself). Here the commands that cannot
 * succeed whatever the literal holds are refused, so a client does not
 * send a message of megabytes to have it thrown away: those the state gate
 * refuses (an APPEND before login) and an APPEND whose message can be
 * refused already (append.ts admitAppendMessage: several messages, bad
 * flags, a name no mailbox can have, a folder that does not exist).
 *
 * The command so far is parsed as if the literal were empty and ended it.
 * When that does not parse — the literal is not the last argument (a LOGIN
 * user name), or a syntax error the whole command will show — the `+` is
 * sent and the command answered once it is whole, as before.
 */
import { FOLDER_DELIMITER } from '@mail/contracts';
import { parseCommand, type ImapCommand, type RawCommand } from '@mail/imap';
import { admitAppendMessage } from '../commands/append';
import type { CommandContext } from './command-context';
import { wireOptions } from './session-state';
import { admitCommand } from './state-gate';

/** A command refused before its literal: the refusal (an ImapResponseError, or a failure the dispatcher turns into SERVERBUG) and the command as far as it was read. */
export interface ContinuationRefusal {
  readonly error: unknown;
  readonly command: ImapCommand;
}

const EMPTY = Buffer.alloc(0);

/** Why the command whose synchronizing literal comes next cannot succeed, or undefined to send the `+`. */
export async function continuationRefusal(ctx: CommandContext, soFar: RawCommand): Promise<ContinuationRefusal | undefined> {
  const command = commandSoFar(ctx, soFar);
  if (command === undefined) return undefined;
  try {
    // RFC 9051 §6: a command not valid in this state (BAD), whatever its arguments
    admitCommand(ctx.session.protocol, command.kind, command.tag);
    if (command.kind === 'APPEND') await admitAppendMessage(ctx, command);
    return undefined;
  } catch (error) {
    return { error, command };
  }
}

/** The command read so far, its coming literal taken as empty and as its end; undefined when that is no command. */
function commandSoFar(ctx: CommandContext, soFar: RawCommand): ImapCommand | undefined {
  try {
    return parseCommand({ lines: [...soFar.lines, EMPTY], literals: [...soFar.literals, EMPTY] }, { ...wireOptions(ctx.session), delimiter: FOLDER_DELIMITER });
  } catch {
    return undefined;
  }
}
