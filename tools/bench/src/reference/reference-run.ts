/**
 * --compare: the same run's reference figures, measured before the
 * platform starts so the two never share the CPU: smtp-source → smtp-sink
 * (the protocol's ceiling on this machine), smtp-source → a private Postfix
 * delivering to a virtual Maildir (accept and end-to-end rates), and one
 * POP3 session RETRing that Maildir from a private Dovecot, and that Postfix
 * relaying to the same kind of sink the outbound scenario uses. Whatever is not
 * installed is skipped with a note; every private instance is stopped.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import type { BenchOptions } from '../bench-options';
import { inboundMessageBytes, runInboundLoad } from '../inbound-load';
import { retrieveAll } from '../pop3-retrieval';
import { progress } from '../progress';
import { mebibyte, rate, type ReferenceFigures } from '../scenario-context';
import { isExecutable, runSmtpSource, smtpSinkPath, smtpSourcePath } from '../smtp-source';
import { dovecotPassword, dovecotPath, startDovecot } from './dovecot-instance';
import { postfixPath, postfixRelayDomain, startPostfix, type PostfixInstance } from './postfix-instance';
import { freePort, startSmtpSink, waitFor, type SmtpSink } from '@mail/testing';

/** Private instances running right now, so an interrupted run can still stop them. */
const running = new Set<{ stop(): Promise<void> }>();

/** Stops every private Postfix/Dovecot still running (on Ctrl-C). */
export async function stopRunningReferences(): Promise<void> {
  await Promise.allSettled([...running].map((instance) => instance.stop()));
}

const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

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

async function measurePostfix(postfix: PostfixInstance, options: BenchOptions, useSmtpSource: boolean, notes: string[]): Promise<Pick<ReferenceFigures, 'postfixAcceptRate' | 'postfixEndToEndRate'>> {
  await waitFor(() => listening(postfix.port), { timeoutMs: 15_000, description: 'Postfix smtpd to listen' });
  const load = await runInboundLoad({ port: postfix.port, sessions: options.sessions, messages: options.messages, to: 'inbound@bench.test', useSmtpSource });
  if (load.failures) notes.push(`Postfix: ${load.failures}`);
  const deliveredAt = await waitFor(async () => ((await postfix.delivered()) >= options.messages ? performance.now() : undefined), {
    timeoutMs: 600_000,
    intervalMs: 20,
    description: `${options.messages} messages in Postfix's Maildir`,
  });
  return { postfixAcceptRate: rate(options.messages, load.acceptedAt - load.startedAt), postfixEndToEndRate: rate(options.messages, deliveredAt - load.startedAt) };
}

/** smtp-source → Postfix → its SMTP client → the sink: relay rate and connections per message. */
async function measurePostfixRelay(
  postfix: PostfixInstance,
  sink: SmtpSink,
  options: BenchOptions,
  useSmtpSource: boolean,
  notes: string[],
): Promise<Pick<ReferenceFigures, 'postfixRelayRate' | 'postfixConnectionsPerMessage'>> {
  const total = options.outboundMessages;
  const load = await runInboundLoad({ port: postfix.port, sessions: options.sessions, messages: total, to: `rcpt@${postfixRelayDomain}`, useSmtpSource });
  if (load.failures) notes.push(`Postfix relay: ${load.failures}`);
  const deliveredAt = await waitFor(() => (sink.delivered().length >= total ? performance.now() : undefined), {
    timeoutMs: 600_000,
    intervalMs: 20,
    description: `${total} relayed messages at the sink`,
  });
  return { postfixRelayRate: rate(total, deliveredAt - load.startedAt), postfixConnectionsPerMessage: sink.connectionCount / total };
}

export async function measureReferences(options: BenchOptions, notes: string[]): Promise<ReferenceFigures> {
  const figures: { -readonly [K in keyof ReferenceFigures]: ReferenceFigures[K] } = {};
  const useSmtpSource = await isExecutable(smtpSourcePath);
  if (useSmtpSource && (await isExecutable(smtpSinkPath))) {
    progress(`reference: smtp-source → smtp-sink, ${options.messages} messages`);
    figures.sinkRate = await measureSinkCeiling(options).catch((error: Error) => (notes.push(`smtp-sink ceiling: ${error.message}`), undefined));
  } else notes.push('reference: smtp-source/smtp-sink not installed, no protocol ceiling');

  if (!(await isExecutable(postfixPath))) {
    notes.push('reference: Postfix not installed, no Postfix/Dovecot figures');
    return figures;
  }
  let postfix: PostfixInstance | undefined;
  const sink = await startSmtpSink();
  try {
    progress(`reference: private Postfix → virtual Maildir, ${options.messages} messages`);
    postfix = await startPostfix(await freePort(), sink.port);
    running.add(postfix);
    Object.assign(figures, await measurePostfix(postfix, options, useSmtpSource, notes));
    progress(`reference: Postfix accepted ${figures.postfixAcceptRate?.toFixed(0)} msg/s, delivered ${figures.postfixEndToEndRate?.toFixed(0)} msg/s`);
    if (await isExecutable(dovecotPath)) {
      const dovecot = await startDovecot(postfix.mailRoot, await freePort());
      running.add(dovecot);
      try {
        await waitFor(() => listening(dovecot.port), { timeoutMs: 15_000, description: 'Dovecot to listen' });
        progress('reference: private Dovecot, one POP3 session RETRs the Maildir');
        const single = await retrieveAll(dovecot.port, 'inbound', dovecotPassword);
        figures.dovecotRetrRate = rate(single.messages, single.milliseconds);
        figures.dovecotMegabytesPerSecond = single.octets / mebibyte / (single.milliseconds / 1000);
        progress(`reference: Dovecot ${figures.dovecotRetrRate.toFixed(0)} RETR/s over ${single.messages} messages`);
      } finally {
        await dovecot.stop();
        running.delete(dovecot);
      }
    } else notes.push('reference: Dovecot not installed, no POP3 reference');
    progress(`reference: Postfix relays ${options.outboundMessages} messages to a local sink`);
    Object.assign(figures, await measurePostfixRelay(postfix, sink, options, useSmtpSource, notes));
    progress(`reference: Postfix relayed ${figures.postfixRelayRate?.toFixed(0)} msg/s`);
  } catch (error) {
    notes.push(`reference: ${(error as Error).message.split('\n')[0]}`);
  } finally {
    await postfix?.stop();
    if (postfix) running.delete(postfix);
    await sink.close();
  }
  return figures;
}
