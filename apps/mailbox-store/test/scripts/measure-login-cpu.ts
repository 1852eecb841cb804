/**
 * What repeated logins cost mailbox-store, with and without the cache of
 * recent successful verifications (accounts/verified-credentials.ts):
 *
 *   node --import tsx apps/mailbox-store/test/scripts/measure-login-cpu.ts [N=200]
 *
 * Starts the built mailbox-store twice in an isolated world (AUTH_CACHE_TTL=0,
 * then the default), adds one user with the production scrypt parameters,
 * and sends N `auth.verify` requests with the right password, 8 at a time (a
 * reconnect storm of one user's clients, or of many users each logging in
 * again). Prints, for each, the wall time and mailbox-store's CPU per login
 * (utime + stime from /proc/<pid>/stat).
 */
import { readFile } from 'node:fs/promises';
import { Requests } from '@mail/contracts';
import { sendPaced } from '@mail/testing';
import { createTestSystem } from '../fixtures/test-system';

const logins = Number(process.argv[2] ?? 200);
const user = 'storm@example.test';
const password = 'reconnect storm';

async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const system = await createTestSystem('mbx_logincpu');
try {
  for (const [label, env] of [
    ['AUTH_CACHE_TTL=0 (every login by scrypt)', { AUTH_CACHE_TTL: '0' }],
    ['default (AUTH_CACHE_TTL=15m)', {}],
  ] as const) {
    const service = await system.start({ env });
    if (label.startsWith('AUTH')) {
      await system.admin({ version: 1, op: 'domain.add', domain: 'example.test' });
      await system.admin({ version: 1, op: 'user.add', address: user, password });
    }
    const verify = async () => {
      const reply = await system.bus.request(Requests.verifyCredentials, { version: 1, username: user, password }, 60_000);
      if (!reply.ok) throw new Error('login refused');
    };
    await verify(); // the first login is verified by scrypt in both
    const cpuBefore = await cpuMs(service.pid);
    const started = performance.now();
    await sendPaced(
      Array.from({ length: logins }, (_, i) => i),
      verify,
      { inFlight: 8 },
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = (await cpuMs(service.pid)) - cpuBefore;
    console.log(`${label}: ${logins} logins in ${seconds.toFixed(2)} s, mailbox-store ${(cpu / logins).toFixed(2)} ms CPU per login`);
    await service.stop('SIGTERM');
  }
} finally {
  await system.cleanup();
}
