/**
 * The command table: which handler runs each command kind. One handler per
 * file; the switch is exhaustive, so a new kind in @mail/pop3's command union
 * does not compile until it has a handler here.
 */
import { Pop3ResponseError, type Pop3Command } from '@mail/pop3';
import type { CommandContext, CommandOutcome } from '../session/command-context';
import { handleApop } from './apop';
import { handleAuth } from './auth';
import { handleCapa } from './capa';
import { handleDele } from './dele';
import { handleList } from './list';
import { handleNoop } from './noop';
import { handlePass } from './pass';
import { handleQuit } from './quit';
import { handleRetr } from './retr';
import { handleRset } from './rset';
import { handleStat } from './stat';
import { handleStls } from './stls';
import { handleTop } from './top';
import { handleUidl } from './uidl';
import { handleUser } from './user';

/** Runs the handler of `command` (already admitted by the state gate). */
export async function runCommand(ctx: CommandContext, command: Pop3Command): Promise<CommandOutcome | void> {
  switch (command.kind) {
    case 'USER':
      return handleUser(ctx, command);
    case 'PASS':
      return handlePass(ctx, command);
    case 'APOP':
      return handleApop(ctx, command);
    case 'AUTH':
      return handleAuth(ctx, command);
    case 'STLS':
      return handleStls(ctx, command);
    case 'CAPA':
      return handleCapa(ctx, command);
    case 'STAT':
      return handleStat(ctx, command);
    case 'LIST':
      return handleList(ctx, command);
    case 'UIDL':
      return handleUidl(ctx, command);
    case 'RETR':
      return handleRetr(ctx, command);
    case 'TOP':
      return handleTop(ctx, command);
    case 'DELE':
      return handleDele(ctx, command);
    case 'NOOP':
      return handleNoop(ctx, command);
    case 'RSET':
      return handleRset(ctx, command);
    case 'QUIT':
      return handleQuit(ctx, command);
    case 'UNKNOWN':
      throw new Pop3ResponseError('unknown command');
  }
}
