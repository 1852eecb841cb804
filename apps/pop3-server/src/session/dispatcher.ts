/**
 * The dispatcher: one client line in, exactly one reply out. It runs the
 * layers in order (parser, state gate, handler) and is the one place where
 * a refusal (Pop3ResponseError) becomes an `-ERR` line, where unexpected
 * failures are contained, and where the error budget closes abusive
 * sessions.
 */
import { MAX_POP3_COMMAND_LINE, Pop3ResponseCode, Pop3ResponseError, err, parsePop3Command, type Pop3InputLine } from '@mail/pop3';
import { ConnectionClosedError, ResponseInterruptedError } from '@mail/tcp-session';
import { runCommand } from '../commands/command-table';
import type { CommandContext, CommandOutcome } from './command-context';
import { ErrorBudget, admitCommand } from './state-gate';

/** Runs the commands of one session, strictly one after the other. */
export class CommandDispatcher {
  readonly #budget: ErrorBudget;

  constructor(private readonly ctx: CommandContext) {
    this.#budget = new ErrorBudget(ctx.settings.maxErrors);
  }

  /** Handles one framed line; the caller awaits it before taking the next (RFC 2449 §6.6: replies in order). */
  async dispatch(line: Pop3InputLine): Promise<CommandOutcome> {
    let kind = 'unparsed';
    try {
      // RFC 2449 §4: a command line is at most 255 octets including CRLF.
      if (line.kind === 'too-long') {
        throw new Pop3ResponseError(`command line too long (limit ${MAX_POP3_COMMAND_LINE} octets including CRLF)`);
      }
      const command = parsePop3Command(line.text);
      kind = command.kind;
      // Only the keyword is logged: arguments may hold a password.
      this.ctx.log.debug({ command: kind }, 'command');
      admitCommand(this.ctx.session.state, command);
      return (await runCommand(this.ctx, command)) ?? 'continue';
    } catch (error) {
      return this.#refuse(error, kind);
    }
  }

  async #refuse(error: unknown, kind: string): Promise<CommandOutcome> {
    if (error instanceof ConnectionClosedError) return 'close';
    if (error instanceof ResponseInterruptedError) {
      this.ctx.log.error({ err: error, command: kind }, 'multi-line response interrupted; closing the connection');
      return 'close';
    }
    const refusal = error instanceof Pop3ResponseError ? error : new Pop3ResponseError('internal server error', { responseCode: Pop3ResponseCode.SysTemp, cause: error });
    if (refusal.userFault) {
      this.ctx.log.debug({ command: kind, reply: refusal.text }, 'command refused');
    } else {
      this.ctx.log.warn({ err: refusal.cause ?? refusal, command: kind, reply: refusal.text }, 'command failed');
    }
    if (refusal.userFault && this.#budget.recordError()) {
      // One reply per command even now, so a pipelining client stays in step.
      await this.ctx.channel.write(err(`${refusal.text} (too many errors, closing connection)`, refusal.responseCode));
      return 'close';
    }
    await this.ctx.channel.write(refusal.toResponse());
    return 'continue';
  }
}
