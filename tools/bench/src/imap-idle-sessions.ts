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
  readonly users: readonly string[];
  readonly password: string;
  /** Sessions being opened at the same moment. */
  readonly concurrency: number;
  readonly onProgress?: (opened: number) => void;
}

interface IdleSession {
  readonly user: string;
  readonly session: ImapBenchSession;
}

export class IdleSessions {
  readonly #held: IdleSession[] = [];
  /** The index of the next session to open (its user and source address follow from it). */
  #next = 0;
  #failed = 0;
  #firstError: string | undefined;

  constructor(private readonly options: IdleSessionsOptions) {}

  /** Sessions open and idling. */
  get count(): number {
    return this.#held.length;
  }

  /** Sessions that could not be opened, and the first reason. */
  get failed(): number {
    return this.#failed;
  }

  get firstError(): string | undefined {
    return this.#firstError;
  }

  /** Sessions tried so far, opened or failed. */
  get tried(): number {
    return this.#held.length + this.#failed;
  }

  /**
   * Opens sessions until `total` have been tried, none started after
   * `deadline` (a performance.now() time); resolves with the milliseconds
   * it took.
   */
  async openUpTo(total: number, deadline: number): Promise<number> {
    const started = performance.now();
    const worker = async () => {
      while (this.#next < total && performance.now() < deadline) {
        await this.#openOne(this.#next++).catch((error: Error) => {
          this.#failed++;
          this.#firstError ??= error.message;
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, total - this.#next) }, worker));
    return performance.now() - started;
  }

  async #openOne(index: number): Promise<void> {
    const { users, port, password, onProgress } = this.options;
    const user = users[index % users.length] as string;
    const session = await ImapBenchSession.open(port, { localAddress: sourceAddress(index) });
    try {
      await session.login(user, password);
      await session.ok('SELECT INBOX');
      await session.idle();
      this.#held.push({ user, session });
      onProgress?.(this.#held.length);
    } catch (error) {
      session.close();
      throw error;
    }
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
    const watched = this.#held.filter((idle) => users.has(idle.user)).map((idle) => ({ session: idle.session, target: idle.session.exists + newMessages }));
    const deliveredAt = await deliver();
    const outcomes = await Promise.allSettled(watched.map(({ session, target }) => session.waitForExists(target, timeoutMs)));
    const times = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    return { watched: watched.length, reached: times.length, lastAfterMs: times.length > 0 ? Math.max(...times) - deliveredAt : Number.NaN };
  }

  /** Drops every connection (the servers see them close as a client that went away). */
  close(): void {
    for (const idle of this.#held) idle.session.close();
  }
}
