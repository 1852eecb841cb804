/**
 * Scenario 1, inbound throughput: N messages of 2 KiB over 20 concurrent
 * sessions to a local mailbox, with smtp-source when installed (the client
 * of the reference figures) or the bench's own load generator. Accept rate
 * runs to the last 250; end-to-end rate until the last message is stored
 * (committed in PostgreSQL, so POP3 can list it — checked with STAT at the
 * end). Targets (issue 15): accept rate at least bare Postfix's, end-to-end
 * at least twice Postfix + rspamd's, both in the same run; each rate is
 * also shown beside the other reference.
 */
import { countMessages } from '@mail/pop3-client';
import { benchDomain, benchPassword } from '../bench-stack';
import { recordCpuPerMessage } from '../cpu-report';
import { runInboundLoad } from '../inbound-load';
import { progress } from '../progress';
import { rate, type ScenarioContext } from '../scenario-context';

export async function runInboundScenario(context: ScenarioContext): Promise<void> {
  const { bench, options, reference } = context;
  const address = `inbound@${benchDomain}`;
  await bench.addUsers([address]);
  const total = options.messages;
  progress(`inbound: ${total} messages of 2 KiB over ${options.sessions} sessions with ${context.useSmtpSource ? 'smtp-source' : 'the built-in load generator'}`);
  const cpuBefore = await bench.cpu.read();
  const storing = bench.waitStored(address, total, 600_000);
  const load = await runInboundLoad({ port: bench.stack.smtpPort, sessions: options.sessions, messages: total, to: address, useSmtpSource: context.useSmtpSource });
  if (load.failures) context.note(`inbound: ${load.failures}`);
  progress('inbound: all accepted; waiting until every message is stored');
  const storedAt = await storing;
  const cpu = await bench.cpu.since(cpuBefore, total);
  const listed = await countMessages(bench.stack.pop3Port, address, benchPassword);
  if (listed !== total) context.note(`inbound: POP3 lists ${listed} of ${total} messages (the rest were filed elsewhere, e.g. Junk)`);
  context.filledMaildrop = { address, count: listed };

  // issue 15's targets: the door as fast as bare Postfix's, the pipeline twice Postfix + rspamd (its peer); 238 msg/s is the issue's figure
  const acceptRate = rate(total, load.acceptedAt - load.startedAt);
  const endToEndRate = rate(total, storedAt - load.startedAt);
  const peerRate = reference.postfixRspamdEndToEndRate;
  const endToEndTarget = 2 * (peerRate ?? 238);
  context.record({
    scenario: 'inbound',
    metric: 'accept rate (to last 250)',
    value: acceptRate,
    unit: 'msg/s',
    ...(reference.postfixAcceptRate
      ? { reference: { system: 'Postfix', value: reference.postfixAcceptRate }, target: { kind: 'at-least' as const, bound: reference.postfixAcceptRate, text: '≥ 1.0× Postfix' } }
      : {}),
  });
  if (reference.postfixRspamdAcceptRate) {
    context.record({ scenario: 'inbound', metric: 'accept rate (to last 250)', value: acceptRate, unit: 'msg/s', reference: { system: 'Postfix + rspamd', value: reference.postfixRspamdAcceptRate } });
  }
  context.record({
    scenario: 'inbound',
    metric: 'end-to-end rate (to last stored)',
    value: endToEndRate,
    unit: 'msg/s',
    ...(peerRate ? { reference: { system: 'Postfix + rspamd → Maildir', value: peerRate } } : {}),
    target: { kind: 'at-least', bound: endToEndTarget, text: peerRate ? `≥ 2× Postfix + rspamd (${Math.round(endToEndTarget)} msg/s)` : '≥ 476 msg/s (2× issue 15’s Postfix + rspamd)' },
  });
  if (reference.postfixEndToEndRate) {
    context.record({
      scenario: 'inbound',
      metric: 'end-to-end rate (to last stored)',
      value: endToEndRate,
      unit: 'msg/s',
      reference: { system: 'Postfix → Maildir', value: reference.postfixEndToEndRate },
    });
  }
  if (reference.sinkRate) context.record({ scenario: 'inbound', metric: 'protocol ceiling (smtp-source → smtp-sink)', value: reference.sinkRate, unit: 'msg/s' });
  recordCpuPerMessage(context, 'inbound', cpu);
}
