/**
 * Scenario 5, size: one 25 MiB message through smtp-ingress, the bus,
 * mailbox-store and back out by POP3 RETR, while every service's VmRSS is
 * polled. Reports each service's peak RSS growth over its level before the
 * message. Target: under 64 MiB in any service.
 */
import { Pop3Client } from '@mail/pop3-client';
import { benchDomain, benchPassword } from '../bench-stack';
import { MemorySampler } from '../process-memory';
import { pop3TimeoutMs } from '../pop3-retrieval';
import { progress } from '../progress';
import { mebibyte, type ScenarioContext } from '../scenario-context';
import { openBenchSession, sendTimed } from '../smtp-load';
import { testRequest } from '../test-message';

export async function runSizeScenario(context: ScenarioContext): Promise<void> {
  const { bench, options } = context;
  const address = `size@${benchDomain}`;
  await bench.addUsers([address]);
  const request = testRequest(options.largeMessageBytes, 'big-sender@source.test', address, 'bench size');
  const sampler = new MemorySampler(bench.pids());
  await sampler.start();
  progress(`size: sending a ${(request.size / mebibyte).toFixed(1)} MiB message`);
  const started = performance.now();
  const smtp = await openBenchSession(bench.stack.smtpPort);
  const endOfData = await sendTimed(smtp, request);
  await smtp.quit();
  const stored = await bench.waitStored(address, 1, 300_000);
  progress('size: stored; retrieving it by POP3');
  const pop3 = await Pop3Client.login(bench.stack.pop3Port, address, benchPassword, { timeoutMs: pop3TimeoutMs });
  const retrieved = (await pop3.retrieve(1)).wire.length;
  await pop3.quit();
  const finished = performance.now();
  const memory = await sampler.stop();

  if (retrieved < options.largeMessageBytes) context.note(`size: POP3 returned only ${retrieved} octets for a ${options.largeMessageBytes}-octet message`);
  context.record({ scenario: 'size', metric: '250 after end of data (25 MiB)', value: endOfData, unit: 'ms' });
  context.record({ scenario: 'size', metric: 'first byte → stored', value: stored - started, unit: 'ms' });
  context.record({ scenario: 'size', metric: 'first byte → RETR done', value: finished - started, unit: 'ms' });
  for (const [name, { growthBytes }] of memory) {
    context.record({ scenario: 'size', metric: `peak RSS growth ${name}`, value: growthBytes / mebibyte, unit: 'MiB', target: { kind: 'at-most', bound: 64, text: '< 64 MiB' } });
  }
}
