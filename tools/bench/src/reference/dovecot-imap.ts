/**
 * Dovecot's IMAP figures for the imap scenario (--compare): the header
 * sync and full download of the Maildir the private Postfix filled, by
 * the same client as against imap-server (imap-fetch.ts), and the cost of
 * idle sessions (imap-idle-footprint.ts) in two setups of its own:
 *
 * - with imap-hibernate (imap_hibernate_timeout 2s): an IDLE session's
 *   imap process hands the connection and its inotify watch to one
 *   imap-hibernate process and exits; a change wakes it into a new imap
 *   process. Dovecot's answer to many idle clients, held at the scenario's
 *   full count.
 * - out of the box, one imap process per session (service imap's
 *   client_limit is 1): about half a MiB of Pss and a fork per session, so
 *   it is measured at a smaller count, enough for the slope.
 *
 * Memory is the Pss of the master's whole process tree (login, auth, log,
 * anvil, imap, imap-hibernate), read before and after.
 */
import type { BenchOptions } from '../bench-options';
import type { CpuMeter } from '../cpu-meter';
import { fetchFigures, fetchWholeMailbox } from '../imap-fetch';
import { idleUsers, measureIdleFootprint } from '../imap-idle-footprint';
import { inboundMessageBytes } from '../inbound-load';
import { readTreeMemory } from '../process-memory';
import { progress } from '../progress';
import { mebibyte, type IdleFigures, type ImapFetchFigures, type ReferenceCpu } from '../scenario-context';
import { testMessage } from '../test-message';
import { dovecotPassword, startDovecot, type DovecotInstance } from './dovecot-instance';
import { listening } from './listening';
import { stopTracked, track } from './running';
import { freePort, waitFor } from '@mail/testing';

/** Sessions of the one-process-per-session setup. */
export const perProcessIdleSessions = 1000;

/** The header sync and the full download of `user`'s Maildir over `dovecot`'s IMAP listener. */
export async function measureDovecotImapFetch(dovecot: DovecotInstance, user: string, meter: CpuMeter, cpu: ReferenceCpu[]): Promise<{ headers: ImapFetchFigures; bodies: ImapFetchFigures }> {
  progress('reference: private Dovecot, one IMAP session fetches the Maildir (headers, then bodies)');
  const fetched = await fetchWholeMailbox(dovecot.imapPort as number, user, dovecotPassword, meter);
  cpu.push({ scenario: 'imap header sync', system: 'Dovecot', rows: fetched.headers.cpu }, { scenario: 'imap download', system: 'Dovecot', rows: fetched.bodies.cpu });
  const figures = { headers: fetchFigures(fetched.headers), bodies: fetchFigures(fetched.bodies) };
  progress(`reference: Dovecot IMAP ${figures.headers.messagesPerSecond.toFixed(0)} msg/s header sync, ${figures.bodies.messagesPerSecond.toFixed(0)} msg/s download`);
  return figures;
}

/** Idle sessions on a private Dovecot of their own (Maildirs under `mailRoot`), with or without imap-hibernate. */
export async function measureDovecotIdle(mailRoot: string, options: BenchOptions, hibernate: boolean, notes: string[]): Promise<IdleFigures> {
  const sessions = hibernate ? options.imapIdleSessions : Math.min(options.imapIdleSessions, perProcessIdleSessions);
  const system = hibernate ? 'Dovecot, imap-hibernate' : 'Dovecot, a process per session';
  const users = idleUsers(sessions, (i) => `idle-${hibernate ? 'h' : 'p'}${i}`);
  let dovecot: DovecotInstance | undefined;
  try {
    dovecot = track(await startDovecot(mailRoot, { pop3Port: await freePort(), imapPort: await freePort(), idle: { sessions, users, ...(hibernate ? { hibernateAfter: '2s' } : {}) } }));
    const { imapPort, masterPid, deliver } = dovecot;
    await waitFor(() => listening(imapPort as number), { timeoutMs: 15_000, description: 'Dovecot to listen' });
    const master = await masterPid();
    const footprint = await measureIdleFootprint({
      label: `reference: ${system}`,
      port: imapPort as number,
      sessions,
      users,
      password: dovecotPassword,
      // each login forks an imap-login and an imap process; its static passdb costs nothing
      concurrency: 32,
      memory: async () => (await readTreeMemory(master)).pssBytes,
      async deliver(to) {
        for (const user of to) await deliver(user, testMessage(inboundMessageBytes, 'idle-sender@source.test', `${user}@bench.test`, 'bench imap idle'));
        return performance.now();
      },
    });
    if (footprint.failed > 0) notes.push(`reference: ${system}: ${footprint.failed} of ${sessions} idle sessions failed (first: ${footprint.firstError})`);
    const { push } = footprint;
    if (push.reached < push.watched) notes.push(`reference: ${system}: ${push.reached} of ${push.watched} idle sessions heard the delivery within a minute`);
    if (footprint.stoppedByDeadline) notes.push(`reference: ${system}: the opening stopped at its deadline after ${footprint.sessions} of ${sessions} sessions`);
    progress(`reference: ${system}: ${footprint.sessions} idle sessions, ${footprint.mibPerThousand.toFixed(1)} MiB Pss per 1,000`);
    return {
      system,
      sessions: footprint.sessions,
      openRate: footprint.openRate,
      mibPerThousand: footprint.mibPerThousand,
      marginalMibPerThousand: footprint.marginalMibPerThousand,
      afterMib: footprint.afterBytes / mebibyte,
      pushMs: push.reached === push.watched ? push.lastAfterMs : Number.NaN,
      pushWatched: push.watched,
    };
  } catch (error) {
    const log = dovecot ? await dovecot.logTail() : '';
    throw new Error(`${system}: ${(error as Error).message}${log ? `; its log ends: ${log.slice(-300)}` : ''}`, { cause: error });
  } finally {
    await stopTracked(dovecot);
  }
}
