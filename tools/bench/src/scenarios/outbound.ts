/**
 * Scenario 4, outbound: N messages submitted by an authenticated user (port
 * 587 role, 20 kept-open sessions) to recipients at four remote domains
 * whose MX records in the dns2 server point at a local SMTP sink. Reports
 * messages/s from the first submission to the last message the sink
 * accepted, and connections the relay opened per message (counted at the
 * sink).
 */
import type { TransactionRequest } from '@mail/smtp-client';
import { benchDomain, benchPassword, remoteDomains } from '../bench-stack';
import { recordCpuPerMessage } from '../cpu-report';
import { progress, progressCounter } from '../progress';
import { rate, type ScenarioContext } from '../scenario-context';
import { runSmtpLoad } from '../smtp-load';
import { testRequest } from '../test-message';
import { waitFor } from '@mail/testing';
import { inboundMessageBytes } from '../inbound-load';

export async function runOutboundScenario(context: ScenarioContext): Promise<void> {
  const { bench, options, reference } = context;
  const sender = `sender@${benchDomain}`;
  await bench.addUsers([sender]);
  const total = options.outboundMessages;
  const recipients = Array.from({ length: total }, (_, i) => `rcpt${i}@${remoteDomains[i % remoteDomains.length]}`);
  const requests = remoteDomains.map((domain) => testRequest(inboundMessageBytes, sender, `rcpt@${domain}`, 'bench outbound'));
  const sink = bench.sink;
  const connectionsBefore = sink.connectionCount;
  const deliveredBefore = sink.delivered().length;
  progress(`outbound: ${total} messages through submission to ${remoteDomains.length} remote domains (MX → local sink)`);

  const cpuBefore = await bench.cpu.read();
  const started = performance.now();
  const submitted = await runSmtpLoad({
    port: bench.stack.submissionPort,
    sessions: 20,
    total,
    reuseConnections: true,
    auth: { user: sender, password: benchPassword },
    message: (i) => ({ ...(requests[i % requests.length] as TransactionRequest), recipients: [recipients[i] as string] }),
    onProgress: progressCounter('outbound submitted', total),
  });
  if (submitted.failed > 0) context.note(`outbound: ${submitted.failed} submissions refused (first: ${submitted.firstError})`);
  const report = progressCounter('outbound delivered at the sink', submitted.accepted, 3000);
  const deliveredAt = await waitFor(
    () => {
      const delivered = sink.delivered().length - deliveredBefore;
      report(delivered);
      return delivered >= submitted.accepted ? performance.now() : undefined;
    },
    { timeoutMs: 600_000, intervalMs: 20, description: `${submitted.accepted} messages at the sink` },
  );
  const cpu = await bench.cpu.since(cpuBefore, submitted.accepted);
  const connections = sink.connectionCount - connectionsBefore;
  context.record({ scenario: 'outbound', metric: 'submission accept rate', value: rate(submitted.accepted, submitted.lastAcceptedAt - started), unit: 'msg/s' });
  context.record({
    scenario: 'outbound',
    metric: 'relay rate (to last at sink)',
    value: rate(submitted.accepted, deliveredAt - started),
    unit: 'msg/s',
    ...(reference.postfixRelayRate
      ? { reference: { system: 'Postfix', value: reference.postfixRelayRate }, target: { kind: 'at-least' as const, bound: reference.postfixRelayRate, text: '≥ Postfix' } }
      : {}),
  });
  context.record({
    scenario: 'outbound',
    metric: 'connections opened per message',
    value: connections / Math.max(1, submitted.accepted),
    unit: 'conn/msg',
    ...(reference.postfixConnectionsPerMessage !== undefined ? { reference: { system: 'Postfix', value: reference.postfixConnectionsPerMessage } } : {}),
  });
  recordCpuPerMessage(context, 'outbound', cpu);
}
