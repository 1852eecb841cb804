/**
 * The IMAP download measurement, the same against imap-server and Dovecot:
 * one session LOGINs, SELECTs INBOX, then does what a client does on first
 * sync (RFC 9051 §6.4.5, §6.4.9): `UID FETCH 1:* (FLAGS INTERNALDATE
 * RFC822.SIZE ENVELOPE)` for the message list, then `FETCH 1:* BODY.PEEK[]`
 * for every message's octets (PEEK: no \Seen set, so a second run sees the
 * same mailbox). Each FETCH is timed from its command to its tagged OK and
 * counted as it travels; the CPU of the server's processes is read around
 * each.
 */
import type { CpuMeter, CpuPerMessage } from './cpu-meter';
import { ImapBenchSession } from './imap-bench-session';
import { mebibyte, rate, type ImapFetchFigures } from './scenario-context';

export interface ImapFetchPhase {
  /** FETCH responses received. */
  readonly messages: number;
  /** Octets of the whole answer, and of the literals in it (the message octets, for BODY[]). */
  readonly octets: number;
  readonly literalOctets: number;
  readonly milliseconds: number;
  readonly cpu: readonly CpuPerMessage[];
}

export interface ImapFetchResult {
  /** Messages in INBOX, as SELECT said. */
  readonly exists: number;
  readonly headers: ImapFetchPhase;
  readonly bodies: ImapFetchPhase;
}

/** A phase as rates: FETCH responses per second, MiB of the answer per second. */
export const fetchFigures = (phase: ImapFetchPhase): ImapFetchFigures => ({
  messagesPerSecond: rate(phase.messages, phase.milliseconds),
  mebibytesPerSecond: phase.octets / mebibyte / (phase.milliseconds / 1000),
});

/** Long enough for 5,000 bodies on a loaded machine. */
const fetchTimeoutMs = 600_000;

async function timedFetch(session: ImapBenchSession, command: string, meter: CpuMeter): Promise<ImapFetchPhase> {
  const cpuBefore = await meter.read();
  const started = performance.now();
  const outcome = await session.ok(command, fetchTimeoutMs);
  const milliseconds = performance.now() - started;
  return { messages: outcome.fetched, octets: outcome.octets, literalOctets: outcome.literalOctets, milliseconds, cpu: await meter.since(cpuBefore, outcome.fetched) };
}

/** Header sync then full download of `user`'s INBOX on `port`, `meter` reading the server's CPU. */
export async function fetchWholeMailbox(port: number, user: string, password: string, meter: CpuMeter): Promise<ImapFetchResult> {
  const session = await ImapBenchSession.open(port);
  try {
    await session.login(user, password);
    await session.ok('SELECT INBOX');
    if (session.exists === 0) throw new Error(`${user}'s INBOX is empty`);
    const headers = await timedFetch(session, 'UID FETCH 1:* (FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)', meter);
    const bodies = await timedFetch(session, 'FETCH 1:* BODY.PEEK[]', meter);
    await session.command('LOGOUT').catch(() => undefined);
    return { exists: session.exists, headers, bodies };
  } finally {
    session.close();
  }
}
