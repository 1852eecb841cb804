/**
 * The dispatcher: one framed line in, exactly one reply out. It runs the
 * layers in order — parser, state gate, handler — and is the one place
 * where a refusal (SmtpReplyError) becomes a reply, unexpected failures are
 * contained (451 4.3.0), and the error budget closes abusive sessions
 * with 421 (RFC 5321 §3.8).
 */
import {
  C421ServiceNotAvailable,
  C451LocalError,
  C500SyntaxError,
  C501ParamSyntax,
  EsInvalidArguments,
  EsSecurityOther,
  EsSystemOther,
  SmtpReplyError,
  parseCommand,
  type LineEvent,
  type SmtpCommand,
} from '@mail/smtp';
import { authAvailability } from '../auth/auth-policy';
import { runCommand } from './commands/command-table';
import type { CommandContext, CommandOutcome } from './command-context';
import { ClosingReplyError, ConnectionClosedError } from './session-errors';
import { inCommandSpan, recordCommandFailure } from './session-span';
import { ErrorBudget, admitCommand, type GateSettings } from './state-gate';

/**
 * X.5.6 for a command line over 512 octets. RFC 4954 §6 registered X.5.6
 * for over-long AUTH lines; this server uses it for every over-long command
 * line (RFC 5321 §4.5.3.1.4 limit, §4.5.3.1.10 "500 Line too long").
 */
export const EsLineTooLong = '5.6';

/** Parse a line; a BDAT whose size cannot be read leaves the stream unframeable, so that closes the session. */
function parseLine(ctx: CommandContext, text: string): SmtpCommand {
  try {
    return parseCommand(text, { utf8: ctx.state.transaction?.params.smtputf8 ?? false });
  } catch (error) {
    if (error instanceof SmtpReplyError && /^BDAT\b/i.test(text)) {
      // RFC 3030 §2: the chunk follows regardless; without its size it cannot be skipped
      throw new ClosingReplyError(C501ParamSyntax, EsInvalidArguments, 'Syntax error in BDAT; cannot find the end of the chunk', { cause: error });
    }
    throw error;
  }
}

/** What the gate needs, from the session's context. */
function gateSettings(ctx: CommandContext): GateSettings {
  const { settings, state } = ctx;
  return {
    tlsAvailable: settings.tls !== undefined,
    auth: authAvailability(state, settings.allowPlaintextAuth),
    maxMessagesPerConnection: settings.maxMessagesPerConnection,
    hostname: settings.hostname,
  };
}

/** Runs the commands of one session, strictly one after the other. */
export class CommandDispatcher {
  readonly #budget: ErrorBudget;

  constructor(private readonly ctx: CommandContext) {
    this.#budget = new ErrorBudget(ctx.settings.maxErrors);
  }

  /** Handles one framed line; the session awaits it before taking the next (RFC 2920 §3: replies in order). */
  async dispatch(line: LineEvent): Promise<CommandOutcome> {
    let command: SmtpCommand;
    try {
      // RFC 5321 §4.5.3.1.4: a command line is at most 512 octets including CRLF
      if (line.kind === 'too-long') throw new SmtpReplyError(C500SyntaxError, EsLineTooLong, 'Line too long');
      command = parseLine(this.ctx, line.text);
    } catch (error) {
      return this.#refuse(error, 'unparsed');
    }
    // MAIL, RCPT, DATA and BDAT run in a span of their own (session-span.ts)
    return inCommandSpan(command.kind, () => this.#execute(command));
  }

  async #execute(command: SmtpCommand): Promise<CommandOutcome> {
    try {
      this.ctx.log.debug({ command: command.kind }, 'command');
      try {
        admitCommand(this.ctx.state, command, gateSettings(this.ctx));
      } catch (refusal) {
        // RFC 3030 §2: a refused BDAT's chunk is still on the wire; read and drop it
        if (command.kind === 'BDAT') await this.ctx.channel.readChunk(command.size, () => undefined);
        throw refusal;
      }
      return (await runCommand(this.ctx, command)) ?? 'continue';
    } catch (error) {
      return this.#refuse(error, command.kind);
    }
  }

  async #refuse(error: unknown, kind: string): Promise<CommandOutcome> {
    if (error instanceof ConnectionClosedError) return 'close';
    const refusal = error instanceof SmtpReplyError ? error : new SmtpReplyError(C451LocalError, EsSystemOther, 'Local error in processing', { cause: error, userFault: false });
    if (refusal.userFault) this.ctx.log.debug({ command: kind, reply: refusal.message }, 'command refused');
    else {
      this.ctx.log.warn({ err: refusal.cause ?? refusal, command: kind, reply: refusal.message }, 'command failed');
      recordCommandFailure(refusal.cause ?? refusal);
    }
    await this.ctx.channel.reply(refusal.code, refusal.enhanced, refusal.text);
    if (refusal instanceof ClosingReplyError) return 'close';
    if (refusal.userFault && this.#budget.recordError()) {
      // RFC 5321 §3.8: the server may close with 421 at any time
      const text = `${this.ctx.settings.hostname} Too many errors, closing connection`;
      await this.ctx.channel.reply(C421ServiceNotAvailable, EsSecurityOther, text);
      return 'close';
    }
    return 'continue';
  }
}
