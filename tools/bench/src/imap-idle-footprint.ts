/**
 * What many idle IMAP sessions cost a server, measured the same way for
 * imap-server and Dovecot: the server's memory at rest, half of the N
 * sessions opened into IDLE (imap-idle-sessions.ts), the memory again once
 * they have settled, the other half, the memory again; then one delivery
 * to a few of the sessions' users and the time until every session of
 * those users has heard `* n EXISTS` (RFC 2177: the reason to IDLE). The
 * second half's growth is the cost of one more session: the first half
 * also pays for what grows once (a young generation sized for the logins'
 * garbage, pools, caches). How memory is read is the caller's: one
 * process's VmRSS for imap-server, the Pss of Dovecot's whole process tree.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { IdleSessions, type IdleSessionsOptions } from './imap-idle-sessions';
import { progress, progressCounter } from './progress';
import { mebibyte } from './scenario-context';

/** Sessions per user: under the 128 inotify instances per uid Dovecot's imap processes need (dovecot-instance.ts). */
export const idleSessionsPerUser = 100;
/** Users a delivery goes to during IDLE: their sessions are the sample that must hear it. */
export const pushedUsers = 2;
/** Opening stops after this, whatever was reached (bounded run). */
export const idleOpenWithinMs = 10 * 60_000;
/** Time for the sessions' allocations to settle before memory is read again. */
const settleMs = 5000;
const pushTimeoutMs = 60_000;

export interface IdleFootprintOptions extends Omit<IdleSessionsOptions, 'onProgress'> {
  readonly sessions: number;
  /** How the scenario names the server in progress lines. */
  readonly label: string;
  /** The server's memory now, in bytes. */
  readonly memory: () => Promise<number>;
  /** Delivers one message to each of `users`; resolves with performance.now() when the server has taken it. */
  readonly deliver: (users: readonly string[]) => Promise<number>;
}

export interface IdleFootprint {
  readonly asked: number;
  readonly sessions: number;
  readonly failed: number;
  readonly firstError: string | undefined;
  /** Whether the deadline (idleOpenWithinMs) stopped the opening before every session was tried. */
  readonly stoppedByDeadline: boolean;
  /** Sessions opened per second (connect, LOGIN, SELECT, IDLE). */
  readonly openRate: number;
  /** Memory at rest, with the first half of the sessions, and with all. */
  readonly beforeBytes: number;
  readonly halfBytes: number;
  readonly afterBytes: number;
  /** Growth per 1,000 sessions over all of them, MiB. */
  readonly mibPerThousand: number;
  /** Growth per 1,000 sessions of the second half alone, MiB: the cost of more sessions. */
  readonly marginalMibPerThousand: number;
  /** The pushed users' sessions, how many heard the EXISTS, and when the last did after the delivery. */
  readonly push: { readonly watched: number; readonly reached: number; readonly lastAfterMs: number };
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** The median of three readings half a second apart, after `settleMs` of quiet. */
async function settledMemory(memory: () => Promise<number>): Promise<number> {
  await delay(settleMs);
  const readings: number[] = [];
  for (let i = 0; i < 3; i++) {
    if (i > 0) await delay(500);
    readings.push(await memory());
  }
  return median(readings);
}

const perThousand = (bytes: number, sessions: number): number => (sessions > 0 ? (bytes / mebibyte / sessions) * 1000 : Number.NaN);

/** Opens the sessions in two halves, reads memory before and after each, checks the push, and closes every session (also on failure). */
export async function measureIdleFootprint(options: IdleFootprintOptions): Promise<IdleFootprint> {
  const beforeBytes = await settledMemory(options.memory);
  progress(`${options.label}: opening ${options.sessions} sessions into IDLE (LOGIN, SELECT INBOX, IDLE) as ${options.users.length} users`);
  const idle = new IdleSessions({ ...options, onProgress: progressCounter(`${options.label} idle sessions`, options.sessions, 10_000) });
  const deadline = performance.now() + idleOpenWithinMs;
  try {
    let milliseconds = await idle.openUpTo(Math.floor(options.sessions / 2), deadline);
    const half = idle.count;
    const halfBytes = await settledMemory(options.memory);
    milliseconds += await idle.openUpTo(options.sessions, deadline);
    progress(`${options.label}: ${idle.count} sessions idle after ${(milliseconds / 1000).toFixed(1)} s${idle.failed ? `, ${idle.failed} failed (${idle.firstError})` : ''}`);
    const afterBytes = await settledMemory(options.memory);
    const users = options.users.slice(0, pushedUsers);
    const push = await idle.deliverAndWait(new Set(users), 1, () => options.deliver(users), pushTimeoutMs);
    return {
      asked: options.sessions,
      sessions: idle.count,
      failed: idle.failed,
      firstError: idle.firstError,
      stoppedByDeadline: idle.tried < options.sessions,
      openRate: (idle.count * 1000) / milliseconds,
      beforeBytes,
      halfBytes,
      afterBytes,
      mibPerThousand: perThousand(afterBytes - beforeBytes, idle.count),
      marginalMibPerThousand: perThousand(afterBytes - halfBytes, idle.count - half),
      push,
    };
  } finally {
    idle.close();
  }
}

/** The idle users' names: `name(i)` for i = 1 … enough users for `sessions` at idleSessionsPerUser each. */
export function idleUsers(sessions: number, name: (i: number) => string): string[] {
  return Array.from({ length: Math.ceil(sessions / idleSessionsPerUser) }, (_, i) => name(i + 1));
}
