/**
 * The POP3 measurement: one session RETRs every message of a maildrop
 * (RFC 1939 §7: USER/PASS, STAT, RETR 1..n, QUIT), timing the RETRs and
 * counting the octets as they travelled (byte-stuffed, terminator
 * included): the bench measures throughput, not content. Our server and
 * Dovecot get the same sequence of sessions, one after the other: the first
 * is the first a freshly started server serves (our code not yet optimised
 * by V8, Dovecot's caches cold), the later ones show the steady state.
 */
import { Pop3Client } from '@mail/pop3-client';
import { summarize } from './percentiles';

/** Long enough for a 25 MiB RETR on a loaded machine. */
export const pop3TimeoutMs = 120_000;

/** Sessions per POP3 server measured: the first, then the later ones whose median rate is reported. */
export const pop3SessionsInARow = 3;

/** What one session RETRed, and how long the RETRs took. */
export interface Pop3Retrieval {
  readonly messages: number;
  readonly octets: number;
  readonly milliseconds: number;
}

/** RETRs every message of one maildrop in one session; resolves with messages, octets and milliseconds. */
export async function retrieveAll(port: number, user: string, password: string): Promise<Pop3Retrieval> {
  const client = await Pop3Client.login(port, user, password, { timeoutMs: pop3TimeoutMs });
  try {
    const { count } = await client.stat();
    const started = performance.now();
    let octets = 0;
    for (let n = 1; n <= count; n++) octets += (await client.retrieve(n)).wire.length;
    const milliseconds = performance.now() - started;
    await client.quit();
    return { messages: count, octets, milliseconds };
  } finally {
    client.close();
  }
}

/** `retrieveAll` in `count` sessions one after the other (no DELE: each finds the whole maildrop); `measureFirst` wraps the first (a CPU reading). */
export async function retrieveInSessions(
  count: number,
  retrieve: () => Promise<Pop3Retrieval>,
  measureFirst: (first: () => Promise<Pop3Retrieval>) => Promise<Pop3Retrieval> = (first) => first(),
): Promise<Pop3Retrieval[]> {
  const sessions = [await measureFirst(retrieve)];
  while (sessions.length < count) sessions.push(await retrieve());
  return sessions;
}

/** The median RETR/s of the sessions after the first (the steady state); undefined with fewer than two sessions. */
export function laterSessionsRate(sessions: readonly Pop3Retrieval[]): number | undefined {
  const later = sessions.slice(1).map((session) => (session.messages * 1000) / session.milliseconds);
  return later.length === 0 ? undefined : summarize(later).p50;
}
