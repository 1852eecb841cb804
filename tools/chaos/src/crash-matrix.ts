/**
 * The crash matrix: one phase per fault. In each phase the clients send
 * that phase's share of the messages; once a third of them has been
 * accepted the fault strikes, and after `downMs` the broken piece is
 * brought back while the clients go on retrying. When every phase is over,
 * the run waits for the queues to drain and counts where each message went.
 */
import { randomBytes } from 'node:crypto';
import { waitFor } from '@mail/testing';
import { faults, type Fault } from './faults';
import { foundCopies } from './found-copies';
import { MessageLedger } from './message-ledger';
import { allMailboxes, planMessage } from './message-plan';
import { startPlatform, type Platform } from './platform';
import { startPop3Readers } from './pop3-readers';
import { waitForDrain } from './queue-drain';
import { sendAll } from './sending-clients';
import { tally, type PhaseTally } from './tally';

export interface CrashMatrixOptions {
  /** Messages over the whole run (split evenly over the phases). */
  readonly messages: number;
  /** Concurrent SMTP clients. */
  readonly clients: number;
  /** How long a killed service or stopped server stays down. */
  readonly downMs: number;
  /** Deadline for the queues to drain at the end. */
  readonly drainTimeoutMs: number;
  /** Refused attempts before a message is given up. */
  readonly maxAttempts: number;
  /** Faults to run (default: all eight, in order). */
  readonly faults?: readonly Fault[];
  readonly log: (line: string) => void;
}

export interface CrashMatrixResult {
  readonly rows: PhaseTally[];
  readonly drained: boolean;
  readonly pop3Sessions: { completed: number; failed: number };
  /** Services that died without the matrix killing them. */
  readonly unexpectedExits: readonly string[];
  /** Every service process's output, one file per start. */
  readonly logDir: string;
}

async function runPhase(platform: Platform, ledger: MessageLedger, phase: number, fault: Fault, options: CrashMatrixOptions): Promise<void> {
  const records = ledger.inPhase(phase);
  const sending = sendAll(platform, ledger, records, options.clients);
  let sendingDone = false;
  void sending.finally(() => (sendingDone = true));
  const started = Date.now();
  await waitFor(() => sendingDone || records.filter((r) => r.state === 'accepted').length >= records.length / 3, {
    timeoutMs: 300_000,
    intervalMs: 20,
    description: `a third of phase ${phase}'s messages accepted before "${fault.name}"`,
  });
  options.log(`phase ${phase + 1}: ${fault.name} after ${Date.now() - started} ms`);
  await fault.inject(platform);
  await new Promise((resolve) => setTimeout(resolve, options.downMs));
  await fault.restore(platform);
  options.log(`phase ${phase + 1}: restored after ${Date.now() - started} ms`);
  await sending;
  const states = records.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.state]: (acc[r.state] ?? 0) + 1 }), {});
  options.log(`phase ${phase + 1}: done in ${Date.now() - started} ms ${JSON.stringify(states)}`);
}

export async function runCrashMatrix(options: CrashMatrixOptions): Promise<CrashMatrixResult> {
  const matrix = options.faults ?? faults;
  const runId = randomBytes(4).toString('hex');
  const ledger = new MessageLedger(options.maxAttempts);
  const perPhase = Math.ceil(options.messages / matrix.length);
  for (let i = 0; i < options.messages; i++) ledger.add(planMessage(i, Math.floor(i / perPhase), runId));

  const platform = await startPlatform(allMailboxes, options.log);
  const readers = startPop3Readers(platform.pop3Port);
  try {
    for (const [phase, fault] of matrix.entries()) await runPhase(platform, ledger, phase, fault, options);
    await readers.stop();
    const drained = await waitForDrain(platform.natsUrl, ledger.records, () => foundCopies(platform.databaseUrl, platform.sink), options.drainTimeoutMs, options.log);
    const found = await foundCopies(platform.databaseUrl, platform.sink);
    return {
      rows: tally(
        ledger.records,
        matrix.map((f) => f.name),
        found,
      ),
      drained,
      pop3Sessions: readers.counts,
      logDir: platform.logDir,
      unexpectedExits: [...platform.unexpectedExits],
    };
  } finally {
    await readers.stop();
    await platform.stop();
  }
}
