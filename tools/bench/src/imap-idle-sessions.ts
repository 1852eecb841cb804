/**
 * Many idle IMAP sessions held by the bench, the same against imap-server
 * and Dovecot: each connects, LOGINs, SELECTs INBOX and starts IDLE
 * (RFC 2177), a few dozen being opened at a time until all are open or the
 * deadline passes. Session i logs in as users[i % users.length], so a
 * delivery to one user reaches that user's sessions (the sample the
 * scenario watches for `* n EXISTS`). The sessions connect from several
 * loopback source addresses so that ten thousand of them do not use up
 * one address's ephemeral ports (every address of 127.0.0.0/8 is local on
 * Linux).
 */
import { ImapBenchSession } from './imap-bench-session';

/** Sessions per source address: well inside the 28,000 ephemeral ports of Linux's default range, TIME_WAITs of an earlier run included. */
export const sessionsPerSourceAddress = 4000;

/** The loopback source address of session `index` (0-based): 127.0.0.2 for the first 4,000, then 127.0.0.3, … */
export function sourceAddress(index: number): string {
  const n = 2 + Math.floor(index / sessionsPerSourceAddress);
  return `127.0.${Math.floor(n / 256)}.${n % 256}`;
}

export interface IdleSessionsOptions {
  readonly port: number;
  readonly sessions: number;
  readonly users: readonly string[];
  readonly password: string;
  /** Sessions being opened at the same moment. */
  readonly concurrency: number;
  /** No session is started after this many milliseconds. */
  readonly openWithinMs: number;
  readonly onProgress?: (opened: number) => void;
}

interface IdleSession {
  readonly user: string;
  readonly session: ImapBenchSession;
}

export class IdleSessions {
  private constructor(
    private readonly held: readonly IdleSession[],
    /** Sessions that could not be opened, and the first reason. */
    readonly failed: number,
    readonly firstError: string | undefined,
    /** Milliseconds from the first connection to the last IDLE continuation. */
    readonly milliseconds: number,
    /** Whether the deadline stopped the opening before every session was tried. */
    readonly timedOut: boolean,
  ) {}

  static async open(options: IdleSessionsOptions): Promise<IdleSessions> {
    const held: IdleSession[] = [];
    let next = 0;
    let failed = 0;
    let firstError: string | undefined;
    const started = performance.now();
    const deadline = started + options.openWithinMs;
    const openOne = async (index: number): Promise<void> => {
      const user = options.users[index % options.users.length] as string;
      const session = await ImapBenchSession.open(options.port, { localAddress: sourceAddress(index) });
      try {
        await session.login(user, options.password);
        await session.ok('SELECT INBOX');
        await session.idle();
        held.push({ user, session });
        options.onProgress?.(held.length);
      } catch (error) {
        session.close();
        throw error;
      }
    };
    const worker = async () => {
      for (let index = next++; index < options.sessions && performance.now() < deadline; index = next++) {
        await openOne(index).catch((error: Error) => {
          failed++;
          firstError ??= error.message;
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, options.sessions) }, worker));
    return new IdleSessions(held, failed, firstError, performance.now() - started, held.length + failed < options.sessions);
  }

  /** Sessions open and idling. */
  get count(): number {
    return this.held.length;
  }

  /**
   * Runs `deliver` (which resolves with performance.now() when the server
   * has the new messages: the SMTP 250, the Maildir rename) and waits until
   * every session of `users` has heard `* n EXISTS` for them (n ≥ its
   * count before plus `newMessages`, RFC 9051 §7.4.1); resolves with how
   * many sessions were watched, how many heard it in time, and when the
   * last one did, in milliseconds after the delivery.
   */
  async deliverAndWait(users: ReadonlySet<string>, newMessages: number, deliver: () => Promise<number>, timeoutMs: number): Promise<{ watched: number; reached: number; lastAfterMs: number }> {
    const watched = this.held.filter((idle) => users.has(idle.user)).map((idle) => ({ session: idle.session, target: idle.session.exists + newMessages }));
    const deliveredAt = await deliver();
    const outcomes = await Promise.allSettled(watched.map(({ session, target }) => session.waitForExists(target, timeoutMs)));
    const times = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    return { watched: watched.length, reached: times.length, lastAfterMs: times.length > 0 ? Math.max(...times) - deliveredAt : Number.NaN };
  }

  /** Drops every connection (the servers see them close as a client that went away). */
  close(): void {
    for (const idle of this.held) idle.session.close();
  }
}
