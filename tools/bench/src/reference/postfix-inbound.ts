/**
 * One inbound measurement of a private Postfix, bare or with rspamd: the
 * same load as scenario 1 (smtp-source, or the built-in generator), the
 * accept rate to the last 250 and the end-to-end rate until the last file
 * is in the Maildir, and the CPU its processes used meanwhile, per message.
 */
import type { BenchOptions } from '../bench-options';
import type { CpuMeter, CpuPerMessage } from '../cpu-meter';
import { runInboundLoad } from '../inbound-load';
import { rate } from '../scenario-context';
import { listening } from './listening';
import type { PostfixInstance } from './postfix-instance';
import { waitFor } from '@mail/testing';

export interface PostfixInboundFigures {
  readonly acceptRate: number;
  readonly endToEndRate: number;
  readonly cpu: readonly CpuPerMessage[];
}

export async function measurePostfixInbound(postfix: PostfixInstance, meter: CpuMeter, options: BenchOptions, useSmtpSource: boolean, notes: string[], label: string): Promise<PostfixInboundFigures> {
  await waitFor(() => listening(postfix.port), { timeoutMs: 15_000, description: `${label} smtpd to listen` });
  const cpuBefore = await meter.read();
  const load = await runInboundLoad({ port: postfix.port, sessions: options.sessions, messages: options.messages, to: 'inbound@bench.test', useSmtpSource });
  if (load.failures) notes.push(`${label}: ${load.failures}`);
  const deliveredAt = await waitFor(async () => ((await postfix.delivered()) >= options.messages ? performance.now() : undefined), {
    timeoutMs: 600_000,
    intervalMs: 20,
    description: `${options.messages} messages in ${label}'s Maildir`,
  });
  const cpu = await meter.since(cpuBefore, options.messages);
  return { acceptRate: rate(options.messages, load.acceptedAt - load.startedAt), endToEndRate: rate(options.messages, deliveredAt - load.startedAt), cpu };
}
