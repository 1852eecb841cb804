/**
 * --compare: the same run's reference figures, measured before the
 * platform starts so the two never share the CPU: smtp-source → smtp-sink
 * (the protocol's ceiling on this machine), smtp-source → a private Postfix
 * delivering to a virtual Maildir (accept and end-to-end rates), one POP3
 * session RETRing that Maildir from a private Dovecot (and, for the imap
 * scenario, one IMAP session fetching it and Dovecot's idle sessions), that Postfix relaying
 * to the same kind of sink the outbound scenario uses, and then Postfix with
 * rspamd as its milter (rspamd-run.ts). The CPU per message of each
 * reference's processes is read from /proc as for the platform. Whatever is
 * not installed is skipped with a note; every private instance is stopped.
 */
import { spawn } from 'node:child_process';
import { userInfo } from 'node:os';
import type { BenchOptions } from '../bench-options';
import { CpuMeter, processSubject, type CpuPerMessage } from '../cpu-meter';
import { inboundMessageBytes, runInboundLoad } from '../inbound-load';
import { laterSessionsRate, pop3SessionsInARow, retrieveAll, retrieveInSessions } from '../pop3-retrieval';
import { clockTicksPerSecond } from '../process-cpu';
import { progress } from '../progress';
import { mebibyte, rate, type IdleFigures, type ReferenceCpu, type ReferenceFigures } from '../scenario-context';
import { isExecutable, runSmtpSource, smtpSinkPath, smtpSourcePath } from '../smtp-source';
import { measureDovecotIdle, measureDovecotImapFetch } from './dovecot-imap';
import { dovecotPassword, dovecotPath, startDovecot, type DovecotInstance } from './dovecot-instance';
import { listening } from './listening';
import { measurePostfixInbound } from './postfix-inbound';
import { postfixPath, postfixRelayDomain, startPostfix, type PostfixInstance } from './postfix-instance';
import { measurePostfixWithRspamd, postfixRspamdSystem } from './rspamd-run';
import { stopTracked, track } from './running';
import { freePort, startSmtpSink, waitFor, type SmtpSink } from '@mail/testing';

export { stopRunningReferences } from './running';

type MutableFigures = { -readonly [K in keyof ReferenceFigures]: ReferenceFigures[K] };

/** A meter of one daemon's process tree, found through its pid file. */
const daemonMeter = async (name: string, masterPid: () => Promise<number>): Promise<CpuMeter> => new CpuMeter([processSubject(name, async () => [await masterPid()])], await clockTicksPerSecond());

async function measureSinkCeiling(options: BenchOptions): Promise<number> {
  const port = await freePort();
  // smtp-sink refuses to run as root without -u (the user it drops to)
  const asUser = userInfo().uid === 0 ? ['-u', 'nobody'] : [];
  const sink = spawn(smtpSinkPath, [...asUser, `127.0.0.1:${port}`, '256'], { stdio: 'ignore' });
  try {
    await waitFor(() => listening(port), { timeoutMs: 10_000, description: 'smtp-sink to listen' });
    const milliseconds = await runSmtpSource({ port, sessions: options.sessions, messages: options.messages, messageBytes: inboundMessageBytes, from: 'a@source.test', to: 'b@sink.test' });
    return rate(options.messages, milliseconds);
  } finally {
    sink.kill('SIGTERM');
  }
}

/**
 * One POP3 session RETRs the Maildir Postfix filled: RETR/s, MiB/s, Dovecot's
 * CPU per RETR. With the imap scenario, one IMAP session then fetches the
 * same Maildir, and Dovecot holds idle IMAP sessions (dovecot-imap.ts).
 */
async function measureDovecot(postfix: PostfixInstance, options: BenchOptions, notes: string[], figures: MutableFigures, cpu: ReferenceCpu[]): Promise<void> {
  const imap = options.scenarios.includes('imap');
  let dovecot: DovecotInstance | undefined;
  try {
    dovecot = track(await startDovecot(postfix.mailRoot, { pop3Port: await freePort(), ...(imap ? { imapPort: await freePort() } : {}) }));
    const port = dovecot.port;
    await waitFor(() => listening(port), { timeoutMs: 15_000, description: 'Dovecot to listen' });
    const meter = await daemonMeter('Dovecot', dovecot.masterPid);
    progress(`reference: private Dovecot, ${pop3SessionsInARow} POP3 sessions one after the other each RETR the Maildir`);
    const sessions = await retrieveInSessions(
      pop3SessionsInARow,
      () => retrieveAll(port, 'inbound', dovecotPassword),
      async (first) => {
        const cpuBefore = await meter.read();
        const single = await first();
        cpu.push({ scenario: 'pop3', system: 'Dovecot', rows: await meter.since(cpuBefore, single.messages) });
        return single;
      },
    );
    const single = sessions[0] ?? { messages: 0, octets: 0, milliseconds: 0 };
    figures.dovecotRetrRate = rate(single.messages, single.milliseconds);
    const later = laterSessionsRate(sessions);
    if (later !== undefined) figures.dovecotLaterRetrRate = later;
    figures.dovecotMegabytesPerSecond = single.octets / mebibyte / (single.milliseconds / 1000);
    progress(`reference: Dovecot ${figures.dovecotRetrRate.toFixed(0)} RETR/s over ${single.messages} messages in its first session, ${later?.toFixed(0) ?? '?'} in the later ones`);
    if (imap) {
      const fetched = await measureDovecotImapFetch(dovecot, 'inbound', meter, cpu);
      figures.dovecotImapHeaders = fetched.headers;
      figures.dovecotImapBodies = fetched.bodies;
    }
  } finally {
    await stopTracked(dovecot);
  }
  if (imap) {
    const idle: IdleFigures[] = [];
    for (const hibernate of [true, false]) {
      await measureDovecotIdle(postfix.mailRoot, options, hibernate, notes).then(
        (figure) => idle.push(figure),
        (error: Error) => notes.push(`reference: ${error.message.split('\n')[0]}`),
      );
    }
    figures.dovecotIdle = idle;
  }
}

/** smtp-source → Postfix → its SMTP client → the sink: relay rate, connections and CPU per message. */
async function measurePostfixRelay(
  postfix: PostfixInstance,
  sink: SmtpSink,
  options: BenchOptions,
  useSmtpSource: boolean,
  notes: string[],
): Promise<{ postfixRelayRate: number; postfixConnectionsPerMessage: number; cpu: CpuPerMessage[] }> {
  const total = options.outboundMessages;
  const meter = await daemonMeter('Postfix', postfix.masterPid);
  const cpuBefore = await meter.read();
  const load = await runInboundLoad({ port: postfix.port, sessions: options.sessions, messages: total, to: `rcpt@${postfixRelayDomain}`, useSmtpSource });
  if (load.failures) notes.push(`Postfix relay: ${load.failures}`);
  const deliveredAt = await waitFor(() => (sink.delivered().length >= total ? performance.now() : undefined), {
    timeoutMs: 600_000,
    intervalMs: 20,
    description: `${total} relayed messages at the sink`,
  });
  const cpu = await meter.since(cpuBefore, total);
  return { postfixRelayRate: rate(total, deliveredAt - load.startedAt), postfixConnectionsPerMessage: sink.connectionCount / total, cpu };
}

/** Bare Postfix: inbound, then Dovecot over its Maildir, then relaying. */
async function measureBarePostfix(options: BenchOptions, useSmtpSource: boolean, notes: string[], figures: MutableFigures, cpu: ReferenceCpu[]): Promise<void> {
  let postfix: PostfixInstance | undefined;
  const sink = await startSmtpSink();
  try {
    progress(`reference: private Postfix → virtual Maildir, ${options.messages} messages`);
    postfix = track(await startPostfix(await freePort(), sink.port));
    const inbound = await measurePostfixInbound(postfix, await daemonMeter('Postfix', postfix.masterPid), options, useSmtpSource, notes, 'Postfix');
    figures.postfixAcceptRate = inbound.acceptRate;
    figures.postfixEndToEndRate = inbound.endToEndRate;
    cpu.push({ scenario: 'inbound', system: 'Postfix', rows: inbound.cpu });
    progress(`reference: Postfix accepted ${inbound.acceptRate.toFixed(0)} msg/s, delivered ${inbound.endToEndRate.toFixed(0)} msg/s`);
    if (await isExecutable(dovecotPath)) await measureDovecot(postfix, options, notes, figures, cpu);
    else notes.push('reference: Dovecot not installed, no POP3 reference');
    progress(`reference: Postfix relays ${options.outboundMessages} messages to a local sink`);
    const relay = await measurePostfixRelay(postfix, sink, options, useSmtpSource, notes);
    figures.postfixRelayRate = relay.postfixRelayRate;
    figures.postfixConnectionsPerMessage = relay.postfixConnectionsPerMessage;
    cpu.push({ scenario: 'outbound', system: 'Postfix', rows: relay.cpu });
    progress(`reference: Postfix relayed ${relay.postfixRelayRate.toFixed(0)} msg/s`);
  } catch (error) {
    notes.push(`reference: ${(error as Error).message.split('\n')[0]}`);
  } finally {
    await stopTracked(postfix);
    await sink.close();
  }
}

export async function measureReferences(options: BenchOptions, notes: string[]): Promise<ReferenceFigures> {
  const figures: MutableFigures = {};
  const cpu: ReferenceCpu[] = [];
  const useSmtpSource = await isExecutable(smtpSourcePath);
  if (useSmtpSource && (await isExecutable(smtpSinkPath))) {
    progress(`reference: smtp-source → smtp-sink, ${options.messages} messages`);
    figures.sinkRate = await measureSinkCeiling(options).catch((error: Error) => (notes.push(`smtp-sink ceiling: ${error.message}`), undefined));
  } else notes.push('reference: smtp-source/smtp-sink not installed, no protocol ceiling');

  if (!(await isExecutable(postfixPath))) {
    notes.push('reference: Postfix not installed, no Postfix/Dovecot/rspamd figures');
    return figures;
  }
  await measureBarePostfix(options, useSmtpSource, notes, figures, cpu);
  const withRspamd = await measurePostfixWithRspamd(options, useSmtpSource, notes);
  if (withRspamd) {
    figures.postfixRspamdAcceptRate = withRspamd.acceptRate;
    figures.postfixRspamdEndToEndRate = withRspamd.endToEndRate;
    // first, so the inbound total is set beside issue 15's peer before bare Postfix
    cpu.unshift({ scenario: 'inbound', system: postfixRspamdSystem, rows: withRspamd.cpu });
  }
  figures.cpu = cpu;
  return figures;
}
