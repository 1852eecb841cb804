/**
 * Rough peak-memory measurement of storing one large message (not a test):
 * starts a real mailbox-store process in an isolated world, delivers one
 * message of each size given on the command line (MiB) to a fresh process,
 * and prints the process's resident set before delivery and its high-water
 * mark (VmHWM, Linux /proc) after the message is listed.
 *
 *   node --import tsx apps/mailbox-store/test/scripts/measure-store-memory.ts 10 25
 */
import { readFile } from 'node:fs/promises';
import { Requests } from '@mail/contracts';
import { waitFor } from '@mail/testing';
import { classifiedMail, publishClassified, sampleMessage } from '../fixtures/classified-mail';
import { createTestSystem } from '../fixtures/test-system';

async function memoryOf(pid: number): Promise<{ rssMiB: number; hwmMiB: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024 };
}

const sizes = process.argv.slice(2).map(Number);
if (sizes.length === 0 || sizes.some((size) => !(size > 0))) {
  process.stderr.write('usage: measure-store-memory.ts <MiB> [<MiB> ...]\n');
  process.exit(2);
}
for (const mebibytes of sizes) {
  const system = await createTestSystem('mbx_memory');
  try {
    const service = await system.start();
    await system.admin({ version: 1, op: 'domain.add', domain: 'example.test' });
    await system.admin({ version: 1, op: 'user.add', address: 'bob@example.test', password: 'pw' });
    const event = await classifiedMail(system.bus, {
      queueId: `MEMORY${mebibytes}X${Date.now()}`,
      body: sampleMessage('Large', mebibytes * 1024 * 1024),
      localRecipients: ['bob@example.test'],
    });
    const before = await memoryOf(service.pid);
    const started = Date.now();
    await publishClassified(system.bus, event);
    await waitFor(async () => (await system.bus.request(Requests.listMailbox, { version: 1, user: 'bob@example.test', folders: ['INBOX'] })).entries.length === 1, {
      timeoutMs: 120_000,
      intervalMs: 20,
      description: 'the large message stored',
    });
    const after = await memoryOf(service.pid);
    process.stdout.write(
      `${mebibytes} MiB message: stored in ${Date.now() - started} ms; RSS before ${before.rssMiB.toFixed(0)} MiB, ` +
        `peak ${after.hwmMiB.toFixed(0)} MiB (+${(after.hwmMiB - before.rssMiB).toFixed(0)} MiB, ${((after.hwmMiB - before.rssMiB) / mebibytes).toFixed(1)}x the message)\n`,
    );
  } finally {
    await system.cleanup();
  }
}
