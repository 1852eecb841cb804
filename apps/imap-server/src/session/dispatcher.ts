/**
 * One command from framed input to its tagged response: parse (RFC 9051
 * §2.2.1) → state gate (state-gate.ts) → the command's handler → pending
 * mailbox updates → the tagged OK. Every refusal (ImapResponseError from
 * the reader, the parser, the gate or a handler) is written here, in one
 * place, as NO/BAD/BYE; a failure that is no ImapResponseError is a server
 * bug: logged, answered `NO [SERVERBUG]`.
 */
import { formatRefusal, formatStatusResponse, ImapResponseError, parseCommand, type ImapCommand, type RawCommand } from '@mail/imap';
import { ConnectionClosedError, ResponseInterruptedError } from '@mail/tcp-session';
import { handlerFor } from '../commands/command-table';
import type { CommandContext } from './command-context';
import { selectedMailboxRefusal, synchronize } from './mailbox-sync';
import { wireOptions } from './session-state';
import { admitCommand, tooManyErrors } from './state-gate';

/** What the session does after a command. */
export type DispatchOutcome = 'continue' | 'close';

/**
 * RFC 9051 §7.5.1: no EXPUNGE while answering FETCH, STORE or SEARCH (their
 * UID forms may carry one); those leave pending changes for the next command.
 */
function mayReportExpunges(command: ImapCommand): boolean {
  return !((command.kind === 'FETCH' || command.kind === 'STORE' || command.kind === 'SEARCH') && !command.uid);
}

export class CommandDispatcher {
  constructor(private readonly ctx: CommandContext) {}

  /** Runs one framed command and writes its responses. */
  async dispatch(raw: RawCommand): Promise<DispatchOutcome> {
    const { session } = this.ctx;
    const startedAt = performance.now();
    let command: ImapCommand | undefined;
    try {
      command = parseCommand(raw, { ...wireOptions(session), delimiter: '/' });
      admitCommand(session.protocol, command.kind, command.tag);
      const completion = await handlerFor(command.kind)(this.ctx, command as never);
      if (mayReportExpunges(command)) await this.reportChanges();
      this.ctx.metrics.command(command.kind, 'OK', { seconds: (performance.now() - startedAt) / 1000 });
      if (completion.alreadySent !== true)
        await this.ctx.channel.write(
          formatStatusResponse({ tag: command.tag, status: 'OK', text: completion.text, ...(completion.code === undefined ? {} : { code: completion.code }) }, wireOptions(session)),
        );
      return completion.close === true ? 'close' : 'continue';
    } catch (error) {
      return this.refuse(error, command, startedAt);
    }
  }

  /** Writes a refusal (from the reader, or any step above); closes after a BYE or past the error budget. */
  async refuse(error: unknown, command?: ImapCommand, startedAt?: number): Promise<DispatchOutcome> {
    // Nothing can be written after a cut literal or on a closed connection: the session ends
    if (error instanceof ResponseInterruptedError || error instanceof ConnectionClosedError) throw error;
    let refusal: ImapResponseError;
    if (error instanceof ImapResponseError) {
      // RFC 2180 §3.3: NO [NONEXISTENT] because the selected mailbox was deleted or renamed ends the session
      const checked = await selectedMailboxRefusal(this.ctx.store, this.ctx.session.protocol, error);
      refusal = command !== undefined && checked.tag === undefined && checked.status !== 'BYE' ? checked.withTag(command.tag) : checked;
    } else {
      this.ctx.log.error({ err: error, command: command?.kind }, 'command failed');
      refusal = new ImapResponseError('NO', 'Internal error, try again later', { code: 'SERVERBUG', userFault: false, ...(command === undefined ? {} : { tag: command.tag }) });
    }
    // The cause of the answer sent: a refusal turned into the BYE of a vanished mailbox is no server failure
    if (!refusal.userFault && refusal.cause !== undefined) this.ctx.log.warn({ err: refusal.cause, command: command?.kind }, refusal.text);
    if (command !== undefined && refusal.status !== 'BYE')
      this.ctx.metrics.command(command.kind, refusal.status, { code: refusal.code, seconds: startedAt === undefined ? undefined : (performance.now() - startedAt) / 1000 });
    await this.ctx.channel.write(formatRefusal(refusal, wireOptions(this.ctx.session)));
    if (refusal.closeConnection || refusal.status === 'BYE') return 'close';
    if (refusal.userFault && ++this.ctx.session.errors >= this.ctx.settings.maxErrors) {
      await this.ctx.channel.write(formatRefusal(tooManyErrors()));
      return 'close';
    }
    return 'continue';
  }

  /** Untagged EXISTS/EXPUNGE/FETCH for what changed in the selected mailbox since the session last looked (RFC 9051 §7). */
  async reportChanges(force = false): Promise<void> {
    const { session, store, channel } = this.ctx;
    if (session.protocol.kind !== 'selected' || (!force && !session.changesPending)) return;
    session.changesPending = false;
    for (const update of await synchronize(store, session.protocol.user, session.protocol.mailbox, wireOptions(session))) await channel.write(update);
  }
}
