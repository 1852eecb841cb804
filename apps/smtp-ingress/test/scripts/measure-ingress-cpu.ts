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
 *   node --import tsx apps/smtp-ingress/test/scripts/measure-ingress-cpu.ts [N=2000] [--sessions=20] [--rounds=1] [--shared-nats] [VARIABLE=value ...] [/ VARIABLE=value ...]
 *
 * The variables go to smtp-ingress, e.g. SMTP_DIRECTORY_MAX_STALENESS=0 to
 * measure without the directory replica. Sets of variables separated by
 * `/` are configurations to compare: each round runs smtp-ingress once with
 * each (restarted in between, on the same stack), and the medians per
 * configuration end the output — on a busy machine the spread between
 * runs of one build is ±10%, so compare medians of several rounds.
 * `--sessions=1` sends one message at a time: the CPU per message then
 * depends less on how loaded the machine is (with many sessions, a slower
 * machine puts fewer messages in each event-loop turn and each costs more).
 * `--shared-nats` runs on the shared NATS server instead (its CPU, shared
 * with other users, is not reported).
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

interface Cpu {
  readonly user: number;
  readonly system: number;
}

/** User and system CPU time of a process so far, in ms. */
async function cpuMs(pid: number): Promise<Cpu> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces), counted from field 3: utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: (Number(fields[11] ?? 0) * 1000) / ticksPerSecond, system: (Number(fields[12] ?? 0) * 1000) / ticksPerSecond };
}

/** The pid of the nats-server started with `-p <port>` (startPrivateNats' command line). */
async function natsServerPid(port: string): Promise<number | undefined> {
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (argv[0]?.endsWith('nats-server') && argv[argv.indexOf('-p') + 1] === port) return Number(pid);
  }
  return undefined;
}

/** CPU ms per message between two readings, with its user/system split. */
function perMessage(name: string, before: Cpu, after: Cpu, messages: number): { text: string; ms: number } {
  const user = after.user - before.user;
  const system = after.system - before.system;
  const ms = (user + system) / messages;
  return { text: `${name} ${ms.toFixed(2)} ms/message (user ${(user / messages).toFixed(2)}, system ${(system / messages).toFixed(2)})`, ms };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

const args = process.argv.slice(2);
const option = (name: string): string | undefined => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const sharedNats = args.includes('--shared-nats');
const sessions = option('sessions') ?? '20';
const rounds = Number(option('rounds') ?? 1);
const total = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 2000);
const configurations: Record<string, string>[] = [{}];
for (const arg of args) {
  if (arg === '/') configurations.push({});
  else if (!arg.startsWith('--') && arg.includes('=')) Object.assign(configurations.at(-1) ?? {}, { [arg.slice(0, arg.indexOf('='))]: arg.slice(arg.indexOf('=') + 1) });
}
const smtpSource = findBinary('smtp-source') ?? '/usr/sbin/smtp-source';
const nats: PrivateNats | undefined = sharedNats ? undefined : await startPrivateNats();
const natsPid = nats === undefined ? undefined : await natsServerPid(new URL(nats.url).port);
// warn, as the bench runs the services (an info line per session costs CPU too); limits that would refuse one busy client off
const ingress = await startIngressStack({ LOG_LEVEL: 'warn', SMTP_MAX_CONNECTIONS_PER_IP: '0', SMTP_MAX_CONNECTION_RATE: '0' }, ['spam-filter'], nats?.url ?? testNatsUrl);
const results = configurations.map(() => ({ ingress: [] as number[], nats: [] as number[] }));
try {
  const send = (count: number) =>
    promisify(execFile)(smtpSource, ['-s', sessions, '-m', String(count), '-l', '2048', '-f', 'alice@crepes.fr', '-t', 'bob@example.test', `127.0.0.1:${ingress.stack.smtpPort}`], {
      timeout: 600_000,
    });
  const subject = ingress.bus.ns.eventSubject(Events.mailReceived);
  const receivedEvents = async (): Promise<number> => {
    const info = await ingress.bus.jsm.streams.info(ingress.bus.ns.streamName(Streams.inbound), { subjects_filter: subject });
    return info.state.subjects?.[subject] ?? 0;
  };
  for (let round = 0; round < rounds; round++) {
    for (const [index, env] of configurations.entries()) {
      if (rounds > 1 || configurations.length > 1 || Object.keys(env).length > 0) {
        await ingress.stack.services.get('smtp-ingress')?.stop();
        await ingress.stack.start('smtp-ingress', env);
      }
      const service = ingress.stack.services.get('smtp-ingress');
      if (service === undefined) throw new Error('smtp-ingress is not running');
      await send(100); // warm-up: connections, JIT, caches
      const load = loadavg()[0] ?? 0;
      const eventsBefore = await receivedEvents();
      const before = await cpuMs(service.pid);
      const natsBefore = natsPid === undefined ? undefined : await cpuMs(natsPid);
      const started = performance.now();
      await send(total);
      const seconds = (performance.now() - started) / 1000;
      const own = perMessage('smtp-ingress', before, await cpuMs(service.pid), total);
      const server = natsPid === undefined || natsBefore === undefined ? undefined : perMessage('nats-server', natsBefore, await cpuMs(natsPid), total);
      results[index]?.ingress.push(own.ms);
      if (server !== undefined) results[index]?.nats.push(server.ms);
      const events = (await receivedEvents()) - eventsBefore;
      process.stdout.write(
        `${total} messages in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)} msg/s); ${own.text}; ${server?.text ?? 'NATS shared (not measured)'};` +
          ` ${events} received events; ${sessions} sessions; load ${load.toFixed(1)} ${JSON.stringify(env)}\n`,
      );
    }
  }
  if (rounds > 1 || configurations.length > 1) {
    for (const [index, env] of configurations.entries()) {
      const result = results[index];
      if (result === undefined) continue;
      const natsText = result.nats.length > 0 ? `, nats-server ${median(result.nats).toFixed(2)}` : '';
      process.stdout.write(`median of ${result.ingress.length}: smtp-ingress ${median(result.ingress).toFixed(2)} ms/message${natsText} ${JSON.stringify(env)}\n`);
    }
  }
} finally {
  await ingress.stop();
  await nats?.close();
}
