/**
 * Rough CPU cost of accepting small messages (not a test): starts
 * mailbox-store, spam-filter (it answers the DNSBL screening) and
 * smtp-ingress from their builds in an isolated world, sends N messages of
 * 2 KiB with Postfix's smtp-source (20 sessions at once, one connection per
 * message, one recipient), and prints smtp-ingress's CPU time (utime +
 * stime from /proc/<pid>/stat) per message, with the accept rate.
 *
 *   node --import tsx apps/smtp-ingress/test/scripts/measure-ingress-cpu.ts [N=2000] [VARIABLE=value ...]
 *
 * The variables go to smtp-ingress, e.g. SMTP_DIRECTORY_MAX_STALENESS=0 to
 * measure without the directory replica.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { Events, Streams } from '@mail/contracts';
import { findBinary } from '@mail/testing';
import { startIngressStack } from '../fixtures/ingress-stack';

/** Clock ticks per second of utime and stime (USER_HZ, 100 on Linux). */
const ticksPerSecond = 100;

async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces), counted from field 3: utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 1000) / ticksPerSecond;
}

const total = Number(process.argv[2] ?? 2000);
const ingressEnv = Object.fromEntries(process.argv.slice(3).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
const smtpSource = findBinary('smtp-source') ?? '/usr/sbin/smtp-source';
// warn, as the bench runs the services (an info line per session costs CPU too); limits that would refuse one busy client off
const ingress = await startIngressStack({ LOG_LEVEL: 'warn', SMTP_MAX_CONNECTIONS_PER_IP: '0', SMTP_MAX_CONNECTION_RATE: '0' }, ['spam-filter']);
try {
  if (Object.keys(ingressEnv).length > 0) {
    await ingress.stack.services.get('smtp-ingress')?.stop();
    await ingress.stack.start('smtp-ingress', ingressEnv);
  }
  const service = ingress.stack.services.get('smtp-ingress');
  if (service === undefined) throw new Error('smtp-ingress is not running');
  const send = (count: number) =>
    promisify(execFile)(smtpSource, ['-s', '20', '-m', String(count), '-l', '2048', '-f', 'alice@crepes.fr', '-t', 'bob@example.test', `127.0.0.1:${ingress.stack.smtpPort}`], { timeout: 600_000 });
  await send(100); // warm-up: connections, JIT, caches
  const before = await cpuMs(service.pid);
  const started = performance.now();
  await send(total);
  const seconds = (performance.now() - started) / 1000;
  const ms = (await cpuMs(service.pid)) - before;
  const subject = ingress.bus.ns.eventSubject(Events.mailReceived);
  const info = await ingress.bus.jsm.streams.info(ingress.bus.ns.streamName(Streams.inbound), { subjects_filter: subject });
  const received = info.state.subjects?.[subject] ?? 0;
  process.stdout.write(
    `${total} messages in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)} msg/s); smtp-ingress ${ms.toFixed(0)} ms CPU = ${(ms / total).toFixed(2)} ms/message; ${received} received events (warm-up included)` +
      ` ${JSON.stringify(ingressEnv)}\n`,
  );
} finally {
  await ingress.stop();
}
