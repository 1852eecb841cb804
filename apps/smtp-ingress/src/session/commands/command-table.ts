/**
 * The command table: which handler runs each command kind. One handler per
 * file; the switch is exhaustive, so a new kind in @mail/smtp's command
 * union does not compile until it has a handler here.
 */
import { C500SyntaxError, EsSyntaxError, SmtpReplyError, type SmtpCommand } from '@mail/smtp';
import type { CommandContext, CommandOutcome } from '../command-context';
import { handleAuth } from './auth';
import { handleBdat } from './bdat';
import { handleData } from './data';
import { handleEhlo } from './ehlo';
import { handleExpn } from './expn';
import { handleHelo } from './helo';
import { handleHelp } from './help';
import { handleMail } from './mail';
import { handleNoop } from './noop';
import { handleQuit } from './quit';
import { handleRcpt } from './rcpt';
import { handleRset } from './rset';
import { handleStarttls } from './starttls';
import { handleVrfy } from './vrfy';

/** Runs the handler of `command` (already admitted by the state gate). */
export async function runCommand(ctx: CommandContext, command: SmtpCommand): Promise<CommandOutcome | void> {
  switch (command.kind) {
    case 'HELO':
      return handleHelo(ctx, command);
    case 'EHLO':
      return handleEhlo(ctx, command);
    case 'MAIL':
      return handleMail(ctx, command);
    case 'RCPT':
      return handleRcpt(ctx, command);
    case 'DATA':
      return handleData(ctx, command);
    case 'BDAT':
      return handleBdat(ctx, command);
    case 'RSET':
      return handleRset(ctx, command);
    case 'NOOP':
      return handleNoop(ctx, command);
    case 'QUIT':
      return handleQuit(ctx, command);
    case 'VRFY':
      return handleVrfy(ctx, command);
    case 'EXPN':
      return handleExpn(ctx, command);
    case 'HELP':
      return handleHelp(ctx, command);
    case 'STARTTLS':
      return handleStarttls(ctx, command);
    case 'AUTH':
      return handleAuth(ctx, command);
    case 'UNKNOWN':
      // The gate refuses these first; kept for exhaustiveness (RFC 5321 §4.2.4)
      throw new SmtpReplyError(C500SyntaxError, EsSyntaxError, 'Command unrecognized');
  }
}
