/**
 * Rough CPU cost of accepting small messages (not a test): starts
 * mailbox-store, spam-filter (it answers the DNSBL screening) and
 * smtp-ingress from their builds in an isolated world on a nats-server of
 * its own, sends N messages of 2 KiB with Postfix's smtp-source (20
 * sessions at once, one connection per message, one recipient), and prints
 * the CPU time (utime + stime from /proc/<pid>/stat) per message of
 * smtp-ingress and of that nats-server, with the accept rate. The NATS
 * figure is everything the server did meanwhile: smtp-ingress's publishes
 * and the consumers of spam-filter and mailbox-store downstream of them.
 *
 *   node --import tsx apps/smtp-ingress/test/scripts/measure-ingress-cpu.ts [N=2000] [--shared-nats] [VARIABLE=value ...]
 *
 * The variables go to smtp-ingress, e.g. SMTP_DIRECTORY_MAX_STALENESS=0 to
 * measure without the directory replica. `--shared-nats` runs on the shared
 * NATS server instead (its CPU, shared with other users, is not reported).
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { Events, Streams } from '@mail/contracts';
import { findBinary, startPrivateNats, testNatsUrl, type PrivateNats } from '@mail/testing';
import { startIngressStack } from '../fixtures/ingress-stack';

/** Clock ticks per second of utime and stime (USER_HZ, 100 on Linux). */
const ticksPerSecond = 100;

/** User and system CPU time of a process so far, in ms. */
async function cpuMs(pid: number): Promise<{ user: number; system: number }> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces), counted from field 3: utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: (Number(fields[11] ?? 0) * 1000) / ticksPerSecond, system: (Number(fields[12] ?? 0) * 1000) / ticksPerSecond };
}

/** CPU ms per message between two readings, with its user/system split. */
function perMessage(name: string, before: { user: number; system: number }, after: { user: number; system: number }, messages: number): string {
  const user = after.user - before.user;
  const system = after.system - before.system;
  return `${name} ${(user + system).toFixed(0)} ms CPU = ${((user + system) / messages).toFixed(2)} ms/message (user ${(user / messages).toFixed(2)}, system ${(system / messages).toFixed(2)})`;
}

/** The pid of the nats-server started with `-p <port>` (startPrivateNats' command line). */
async function natsServerPid(port: string): Promise<number | undefined> {
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (argv[0]?.endsWith('nats-server') && argv[argv.indexOf('-p') + 1] === port) return Number(pid);
  }
  return undefined;
}

const args = process.argv.slice(2);
const sharedNats = args.includes('--shared-nats');
const rest = args.filter((arg) => arg !== '--shared-nats');
const total = Number(rest.find((arg) => /^\d+$/.test(arg)) ?? 2000);
const ingressEnv = Object.fromEntries(rest.filter((arg) => arg.includes('=')).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
const smtpSource = findBinary('smtp-source') ?? '/usr/sbin/smtp-source';
const nats: PrivateNats | undefined = sharedNats ? undefined : await startPrivateNats();
const natsPid = nats === undefined ? undefined : await natsServerPid(new URL(nats.url).port);
// warn, as the bench runs the services (an info line per session costs CPU too); limits that would refuse one busy client off
const ingress = await startIngressStack({ LOG_LEVEL: 'warn', SMTP_MAX_CONNECTIONS_PER_IP: '0', SMTP_MAX_CONNECTION_RATE: '0' }, ['spam-filter'], nats?.url ?? testNatsUrl);
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
  const load = loadavg()[0] ?? 0;
  const before = await cpuMs(service.pid);
  const natsBefore = natsPid === undefined ? undefined : await cpuMs(natsPid);
  const started = performance.now();
  await send(total);
  const seconds = (performance.now() - started) / 1000;
  const ingressText = perMessage('smtp-ingress', before, await cpuMs(service.pid), total);
  const natsText = natsPid === undefined || natsBefore === undefined ? 'NATS shared (not measured)' : perMessage('nats-server', natsBefore, await cpuMs(natsPid), total);
  const subject = ingress.bus.ns.eventSubject(Events.mailReceived);
  const info = await ingress.bus.jsm.streams.info(ingress.bus.ns.streamName(Streams.inbound), { subjects_filter: subject });
  const received = info.state.subjects?.[subject] ?? 0;
  process.stdout.write(
    `${total} messages in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)} msg/s); ${ingressText}; ${natsText};` +
      ` ${received} received events (warm-up included); load ${load.toFixed(1)} ${JSON.stringify(ingressEnv)}\n`,
  );
} finally {
  await ingress.stop();
  await nats?.close();
}
