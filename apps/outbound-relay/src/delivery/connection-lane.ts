/**
 * One connection lane of a batch: messages for the same destination sent
 * one after the other over one connection per server address, as a queue
 * manager does when several messages wait for one host (RFC 5321 §3.3: the
 * next MAIL follows the end of the previous transaction; RFC 5321 §4.1.1.5:
 * RSET only when a transaction was left open, a refused DATA). The lane
 * keeps the session between its messages instead of handing it back to the
 * pool, which would probe it with RSET before each reuse; at the end its
 * sessions go back to the pool for later batches.
 *
 * A server address the lane could not open a session to (refused, timed
 * out, greeted with 421 or 554) is not tried again for the lane's later
 * messages: they get the same failure and go on to the next address or MX
 * host at once, as the first one did.
 */
import type { SmtpSession, SmtpTarget } from '@mail/smtp-client';
import { isSessionFailure, type SessionSource } from './host-attempt';

/** The pool's notion of "the same server": address and port, kept apart when TLS is required for a host. */
function laneKey(target: SmtpTarget): string {
  return target.requireTls ? `${target.address}:${target.port}:verified:${target.host.toLowerCase()}` : `${target.address}:${target.port}`;
}

export class ConnectionLane implements SessionSource {
  private readonly held = new Map<string, { readonly session: SmtpSession; readonly clean: boolean }>();
  private readonly unreachable = new Map<string, Error>();

  constructor(private readonly pool: SessionSource) {}

  async acquire(target: SmtpTarget): Promise<SmtpSession> {
    const key = laneKey(target);
    const failure = this.unreachable.get(key);
    if (failure) throw failure;
    const held = this.held.get(key);
    if (held) {
      this.held.delete(key);
      if (held.session.usable && (held.clean || (await held.session.reset()))) return held.session;
      held.session.destroy();
    }
    try {
      return await this.pool.acquire(target);
    } catch (error) {
      if (isSessionFailure(error)) this.unreachable.set(key, error);
      throw error;
    }
  }

  release(session: SmtpSession, clean: boolean): void {
    if (!session.usable) {
      this.pool.release(session, false);
      return;
    }
    const key = laneKey(session.target);
    const previous = this.held.get(key);
    if (previous) this.pool.release(previous.session, previous.clean);
    this.held.set(key, { session, clean });
  }

  /** The lane is done: its sessions go back to the pool (which probes them with RSET before the next use). */
  close(): void {
    for (const { session, clean } of this.held.values()) this.pool.release(session, clean);
    this.held.clear();
  }
}
