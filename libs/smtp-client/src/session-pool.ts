/**
 * Connection reuse: after a transaction, a healthy session waits idle for a
 * short while, and the next message for the same server address takes it
 * instead of connecting again ("if multiple messages are ready for a host,
 * a single TCP connection can be used"; RFC 5321 §4.1.1.5 RSET makes sure
 * it is still alive and clean). Idle sessions are closed with QUIT when
 * their time is up, when they are old, or when the pool closes.
 */
import type { SmtpTarget } from './connection';
import type { SmtpSession } from './session';

export interface SessionPoolOptions {
  /** How long a session may wait idle for the next message; 0 disables reuse. */
  readonly idleMs: number;
  /** A session older than this is not reused (the server may limit session time). */
  readonly maxSessionAgeMs: number;
  /** Idle sessions kept per server address. */
  readonly maxIdlePerTarget: number;
}

interface IdleSession {
  readonly session: SmtpSession;
  readonly timer: NodeJS.Timeout;
}

/** Hands out sessions by server address and port, reusing idle ones. */
export class SessionPool {
  private readonly idle = new Map<string, IdleSession[]>();
  private closed = false;

  constructor(
    private readonly open: (target: SmtpTarget) => Promise<SmtpSession>,
    private readonly options: SessionPoolOptions,
  ) {}

  /** An idle session to the same address that still answers RSET, else a new one (which may throw). */
  async acquire(target: SmtpTarget): Promise<SmtpSession> {
    const key = keyOf(target);
    for (let entry = this.take(key); entry; entry = this.take(key)) {
      if (await entry.session.reset()) return entry.session;
      entry.session.destroy();
    }
    return this.open(target);
  }

  /** Gives a session back after use: kept idle when reusable, else closed with QUIT. */
  release(session: SmtpSession): void {
    const key = keyOf(session.target);
    const list = this.idle.get(key) ?? [];
    const tooOld = Date.now() - session.openedAt > this.options.maxSessionAgeMs;
    if (this.closed || !session.usable || this.options.idleMs <= 0 || tooOld || list.length >= this.options.maxIdlePerTarget) {
      void session.quit();
      return;
    }
    const timer = setTimeout(() => this.expire(key, session), this.options.idleMs);
    timer.unref();
    list.push({ session, timer });
    this.idle.set(key, list);
  }

  /** Idle sessions right now, for tests and metrics. */
  get idleCount(): number {
    return [...this.idle.values()].reduce((n, list) => n + list.length, 0);
  }

  /** Closes every idle session with QUIT; sessions released later are closed at once. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.idle.values()].flat();
    this.idle.clear();
    for (const entry of all) clearTimeout(entry.timer);
    await Promise.allSettled(all.map((entry) => entry.session.quit()));
  }

  /** Most recently used first: it is the likeliest to be alive. */
  private take(key: string): IdleSession | undefined {
    const list = this.idle.get(key);
    const entry = list?.pop();
    if (list?.length === 0) this.idle.delete(key);
    if (entry) clearTimeout(entry.timer);
    return entry;
  }

  private expire(key: string, session: SmtpSession): void {
    const list = this.idle.get(key);
    if (!list) return;
    const remaining = list.filter((entry) => entry.session !== session);
    if (remaining.length > 0) this.idle.set(key, remaining);
    else this.idle.delete(key);
    void session.quit();
  }
}

/**
 * Sessions are shared per address and port; a session opened for a
 * destination that requires TLS was verified for its host name, so it is
 * kept apart from opportunistic ones (which may be unverified or in the clear).
 */
function keyOf(target: SmtpTarget): string {
  return target.requireTls ? `${target.address}:${target.port}:verified:${target.host.toLowerCase()}` : `${target.address}:${target.port}`;
}
