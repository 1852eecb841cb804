/**
 * Scenario 3, POP3: one session RETRs every message of a 5,000-message
 * maildrop (RETR/s, MB/s), then 50 sessions at once each RETR their own
 * maildrop (one maildrop each: RFC 1939 §8 lets a server lock a maildrop
 * to one session). Target: single-session RETR/s at least Dovecot's.
 */
import { benchDomain, benchPassword } from '../bench-stack';
import type { CpuPerMessage } from '../cpu-meter';
import { recordCpuPerMessage } from '../cpu-report';
import { fillMailboxes } from '../mailbox-fill';
import { laterSessionsRate, pop3SessionsInARow, retrieveAll, retrieveInSessions } from '../pop3-retrieval';
import { progress } from '../progress';
import { mebibyte, rate, type ScenarioContext } from '../scenario-context';

export async function runPop3Scenario(context: ScenarioContext): Promise<void> {
  const { bench, options, reference } = context;
  let maildrop = context.filledMaildrop;
  if (!maildrop || maildrop.count < options.messages) {
    const address = `pop3-single@${benchDomain}`;
    await bench.addUsers([address]);
    progress(`pop3: filling ${address} with ${options.messages} messages`);
    await fillMailboxes(context, 'pop3', [address], options.messages);
    maildrop = { address, count: options.messages };
    context.filledMaildrop = maildrop;
  }
  progress(`pop3: ${pop3SessionsInARow} sessions one after the other each RETR ${maildrop.count} messages of ${maildrop.address}`);
  const { address } = maildrop;
  let cpu: CpuPerMessage[] | undefined;
  const sessions = await retrieveInSessions(
    pop3SessionsInARow,
    () => retrieveAll(bench.stack.pop3Port, address, benchPassword),
    async (first) => {
      const cpuBefore = await bench.cpu.read();
      const single = await first();
      cpu = await bench.cpu.since(cpuBefore, single.messages);
      return single;
    },
  );
  const single = sessions[0] ?? { messages: 0, octets: 0, milliseconds: 0 };
  context.record({
    scenario: 'pop3',
    metric: `RETR/s, one session (${single.messages} messages), the first after start`,
    value: rate(single.messages, single.milliseconds),
    unit: 'RETR/s',
    ...(reference.dovecotRetrRate ? { reference: { system: 'Dovecot', value: reference.dovecotRetrRate } } : {}),
    ...(reference.dovecotRetrRate ? { target: { kind: 'at-least' as const, bound: reference.dovecotRetrRate, text: '≥ Dovecot' } } : {}),
  });
  const later = laterSessionsRate(sessions);
  if (later !== undefined) {
    context.record({
      scenario: 'pop3',
      metric: `RETR/s, one session, median of sessions 2–${sessions.length}`,
      value: later,
      unit: 'RETR/s',
      ...(reference.dovecotLaterRetrRate ? { reference: { system: 'Dovecot', value: reference.dovecotLaterRetrRate } } : {}),
      ...(reference.dovecotLaterRetrRate ? { target: { kind: 'at-least' as const, bound: reference.dovecotLaterRetrRate, text: '≥ Dovecot' } } : {}),
    });
  }
  context.record({
    scenario: 'pop3',
    metric: 'MB/s, one session',
    value: single.octets / mebibyte / (single.milliseconds / 1000),
    unit: 'MiB/s',
    ...(reference.dovecotMegabytesPerSecond ? { reference: { system: 'Dovecot', value: reference.dovecotMegabytesPerSecond } } : {}),
  });
  if (cpu !== undefined) recordCpuPerMessage(context, 'pop3', cpu, 'RETR');

  const addresses = Array.from({ length: options.pop3Sessions }, (_, i) => `pop3-${i + 1}@${benchDomain}`);
  progress(`pop3: creating ${addresses.length} users with ${options.pop3MessagesPerSession} messages each`);
  await bench.addUsers(addresses);
  await fillMailboxes(context, 'pop3', addresses, options.pop3MessagesPerSession);
  progress(`pop3: ${addresses.length} concurrent sessions`);
  const started = performance.now();
  const outcomes = await Promise.allSettled(addresses.map((address) => retrieveAll(bench.stack.pop3Port, address, benchPassword)));
  const milliseconds = performance.now() - started;
  const done = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) context.note(`pop3: ${outcomes.length - done.length} of ${outcomes.length} concurrent sessions failed (first: ${(failed.reason as Error).message})`);
  const retrieved = done.reduce((sum, d) => sum + d.messages, 0);
  context.record({ scenario: 'pop3', metric: `RETR/s, ${addresses.length} sessions (login included)`, value: rate(retrieved, milliseconds), unit: 'RETR/s' });
}
