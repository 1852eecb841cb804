/**
 * Scenario 2, latency at a fixed offered load (default 200 messages/s):
 * message i is due at start + i/rate and is sent on one of 50 kept-open
 * sessions as soon as it is due. Reports p50/p95/p99 of the 250 after the
 * end of data (measured by the client) and of accepted → stored
 * (messages.stored_at − messages.received_at, both written by the platform).
 * Target: p99 of the 250 under 20 ms at 200 messages/s.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { SmtpSession } from '@mail/smtp-client';
import { benchDomain } from '../bench-stack';
import { recordCpuPerMessage } from '../cpu-report';
import { summarize } from '../percentiles';
import { progress, progressCounter } from '../progress';
import { rate, type ScenarioContext } from '../scenario-context';
import { openBenchSession, sendTimed } from '../smtp-load';
import { testRequest } from '../test-message';
import { inboundMessageBytes } from '../inbound-load';

/**
 * Kept-open sessions. A session carries one transaction at a time (MAIL,
 * RCPT, DATA are round trips), so 20 sessions could not offer 200 msg/s
 * once a transaction took more than 100 ms on a loaded machine.
 */
const sessions = 50;
const sender = 'latency-sender@source.test';

export async function runLatencyScenario(context: ScenarioContext): Promise<void> {
  const { bench, options } = context;
  const address = `latency@${benchDomain}`;
  await bench.addUsers([address]);
  const total = options.latencyRate * options.latencySeconds;
  const request = testRequest(inboundMessageBytes, sender, address, 'bench latency');
  const connections = await Promise.all(Array.from({ length: sessions }, () => openBenchSession(bench.stack.smtpPort)));
  progress(`latency: ${options.latencyRate} msg/s offered for ${options.latencySeconds} s (${total} messages) over ${sessions} sessions`);

  const cpuBefore = await bench.cpu.read();
  const latencies: number[] = [];
  let lateStarts = 0;
  let failed = 0;
  let firstError: string | undefined;
  let next = 0;
  const report = progressCounter('latency sent', total);
  const started = performance.now();
  const worker = async (connection: SmtpSession) => {
    for (let index = next++; index < total; index = next++) {
      const due = started + (index * 1000) / options.latencyRate;
      const wait = due - performance.now();
      if (wait > 0) await delay(wait);
      else if (wait < -5) lateStarts++;
      try {
        latencies.push(await sendTimed(connection, request));
      } catch (error) {
        failed++;
        firstError ??= (error as Error).message;
      }
      report(latencies.length + failed);
    }
    await connection.quit();
  };
  await Promise.all(connections.map(worker));
  const elapsed = performance.now() - started;
  if (failed > 0) context.note(`latency: ${failed} messages refused (first: ${firstError})`);
  if (lateStarts > 0) context.note(`latency: ${lateStarts} of ${total} messages started more than 5 ms late (all ${sessions} sessions were busy): the offered load was not fully sustained`);

  const accepted = summarize(latencies);
  context.record({ scenario: 'latency', metric: 'achieved rate', value: rate(latencies.length, elapsed), unit: 'msg/s' });
  context.record({ scenario: 'latency', metric: '250 after end of data p50', value: accepted.p50, unit: 'ms' });
  context.record({ scenario: 'latency', metric: '250 after end of data p95', value: accepted.p95, unit: 'ms' });
  context.record({ scenario: 'latency', metric: '250 after end of data p99', value: accepted.p99, unit: 'ms', target: { kind: 'at-most', bound: 20, text: '< 20 ms at 200 msg/s' } });

  await bench.waitStored(address, latencies.length, 300_000);
  const cpu = await bench.cpu.since(cpuBefore, latencies.length);
  const { rows } = await bench.database.query<{ ms: number }>(
    `SELECT extract(epoch FROM (m.stored_at - m.received_at)) * 1000 AS ms
       FROM messages m JOIN mailbox_entries e ON e.message_id = m.id JOIN users u ON u.id = e.user_id
      WHERE u.address = $1`,
    [address],
  );
  const stored = summarize(rows.map((r) => Number(r.ms)));
  context.record({ scenario: 'latency', metric: 'accepted → stored p50', value: stored.p50, unit: 'ms' });
  context.record({ scenario: 'latency', metric: 'accepted → stored p95', value: stored.p95, unit: 'ms' });
  context.record({ scenario: 'latency', metric: 'accepted → stored p99', value: stored.p99, unit: 'ms' });
  recordCpuPerMessage(context, 'latency', cpu);
}
