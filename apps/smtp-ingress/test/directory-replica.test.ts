/**
 * The directory replica (src/directory/directory-replica.ts) in the real
 * processes: admin changes made with mailctl while a session runs reach
 * RCPT within the staleness bound (SMTP_DIRECTORY_MAX_STALENESS, 3 s here);
 * RCPT is still answered — negative answers included, which the
 * stale-if-error cache never gives — while mailbox-store is down; a watch
 * that stops receiving changes is started afresh; the replica recovers
 * after its NATS server restarts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Buckets } from '@mail/contracts';
import { startPrivateNats, waitFor, type LineClient, type PrivateNats } from '@mail/testing';
import { openSmtp, startIngressStack, type IngressStack } from './fixtures/ingress-stack';

const boundMs = 3_000;
const env = { SMTP_DIRECTORY_MAX_STALENESS: `${boundMs}ms`, SMTP_MAX_ERRORS: '1000', SMTP_RCPT_LOOKUP_TIMEOUT: '1s' };

/** Sends RCPT until its reply starts with `expected` (within `timeoutMs` of the call); returns how long that took. */
async function rcptUntil(smtp: LineClient, address: string, expected: string, timeoutMs = boundMs): Promise<number> {
  const started = performance.now();
  let last = '';
  await waitFor(
    async () => {
      last = (await smtp.smtp(`RCPT TO:<${address}>`)).text;
      return last.startsWith(expected);
    },
    { timeoutMs, intervalMs: 20, description: `RCPT ${address} → ${expected} (last: ${last})` },
  );
  return performance.now() - started;
}

async function mailctl(ingress: IngressStack, ...args: string[]): Promise<void> {
  const result = await ingress.stack.mailctl(...args);
  if (result.code !== 0) throw new Error(`mailctl ${args.join(' ')}: ${result.stderr}`);
}

/** A session in a transaction. */
async function transaction(ingress: IngressStack): Promise<LineClient> {
  const smtp = await openSmtp(ingress.stack.smtpPort);
  expect((await smtp.smtp('MAIL FROM:<alice@crepes.fr>')).code).toBe(250);
  return smtp;
}

const refused = '550 5.1.1';
const accepted = '250 2.1.5';

describe('directory replica', () => {
  let ingress: IngressStack;
  let smtp: LineClient | undefined;

  beforeAll(async () => {
    ingress = await startIngressStack(env);
  });
  afterEach(() => smtp?.close());
  afterAll(async () => {
    await ingress?.stop();
  });

  it('accepts a user added, and refuses a user removed, within the bound while a session runs', async () => {
    smtp = await transaction(ingress);
    expect((await smtp.smtp('RCPT TO:<dave@example.test>')).text).toBe('550 5.1.1 No such user here');
    await mailctl(ingress, 'user', 'add', 'dave@example.test', '--password', 'pw');
    expect(await rcptUntil(smtp, 'dave@example.test', accepted)).toBeLessThan(boundMs);
    await mailctl(ingress, 'user', 'remove', 'dave@example.test');
    expect(await rcptUntil(smtp, 'dave@example.test', refused)).toBeLessThan(boundMs);
  });

  it('follows aliases, catch-alls and domains as they change', async () => {
    smtp = await transaction(ingress);
    await mailctl(ingress, 'alias', 'add', 'team@example.test', 'bob@example.test');
    await rcptUntil(smtp, 'team@example.test', accepted);
    await mailctl(ingress, 'alias', 'remove', 'team@example.test');
    await rcptUntil(smtp, 'team@example.test', refused);
    await mailctl(ingress, 'alias', 'add', '@example.test', 'carol@example.test');
    await rcptUntil(smtp, 'anyone@example.test', accepted);
    await mailctl(ingress, 'alias', 'remove', '@example.test');
    await rcptUntil(smtp, 'anyone@example.test', refused);
    await mailctl(ingress, 'domain', 'add', 'other.test');
    await rcptUntil(smtp, 'erin@other.test', refused);
    await mailctl(ingress, 'domain', 'remove', 'other.test');
    await rcptUntil(smtp, 'erin@other.test', '550 5.7.1 Relaying denied');
  });

  it('answers RCPT from the replica while mailbox-store is down', async () => {
    smtp = await transaction(ingress);
    const store = ingress.stack.services.get('mailbox-store');
    expect(await store?.stop('SIGKILL')).toBe('SIGKILL');
    try {
      // carol was never asked for in this process's sessions, and nobody is unknown: only the replica can answer both
      expect((await smtp.smtp('RCPT TO:<carol@example.test>')).text).toBe('250 2.1.5 Recipient ok');
      expect((await smtp.smtp('RCPT TO:<nobody@example.test>')).text).toBe('550 5.1.1 No such user here');
    } finally {
      await ingress.stack.start('mailbox-store');
    }
  });

  it('starts its watch afresh when the watch stops receiving changes, and refuses a removed user within the bound', async () => {
    smtp = await transaction(ingress);
    await mailctl(ingress, 'user', 'add', 'frank@example.test', '--password', 'pw');
    await rcptUntil(smtp, 'frank@example.test', accepted);
    // Delete the watch's consumer on the server: no change reaches the replica any more
    const stream = `KV_${ingress.bus.ns.bucketName(Buckets.directory)}`;
    for await (const consumer of ingress.bus.jsm.consumers.list(stream)) await ingress.bus.jsm.consumers.delete(stream, consumer.name);
    await mailctl(ingress, 'user', 'remove', 'frank@example.test');
    expect(await rcptUntil(smtp, 'frank@example.test', refused)).toBeLessThan(boundMs);
    // Current again from its own watch: mailbox-store down, an unknown user still refused
    await waitFor(async () => (await ingress.bus.jsm.consumers.list(stream).next()).length > 0, { description: 'a new watch' });
    const store = ingress.stack.services.get('mailbox-store');
    await store?.stop('SIGKILL');
    try {
      await rcptUntil(smtp, 'frank@example.test', refused, 2 * boundMs);
      expect((await smtp.smtp('RCPT TO:<bob@example.test>')).text).toBe('250 2.1.5 Recipient ok');
    } finally {
      await ingress.stack.start('mailbox-store');
    }
  });
});

describe('directory replica across a NATS restart', () => {
  let nats: PrivateNats;
  let ingress: IngressStack;

  beforeAll(async () => {
    nats = await startPrivateNats();
    ingress = await startIngressStack(env, [], nats.url);
  });
  afterAll(async () => {
    await ingress?.stop();
    await nats?.close();
  });

  it('follows changes made after NATS came back, and answers from the replica again', async () => {
    const before = await transaction(ingress);
    expect((await before.smtp('RCPT TO:<bob@example.test>')).code).toBe(250);
    before.close();
    await nats.stop('SIGKILL');
    await nats.start();
    // mailbox-store reconnects before it can take the change
    await waitFor(async () => (await ingress.stack.mailctl('user', 'add', 'gina@example.test', '--password', 'pw')).code === 0, {
      timeoutMs: 20_000,
      intervalMs: 200,
      description: 'mailctl after the restart',
    });
    const smtp = await transaction(ingress);
    try {
      expect(await rcptUntil(smtp, 'gina@example.test', accepted, 20_000)).toBeLessThan(20_000);
      await mailctl(ingress, 'user', 'remove', 'bob@example.test');
      expect(await rcptUntil(smtp, 'bob@example.test', refused)).toBeLessThan(boundMs);
      const store = ingress.stack.services.get('mailbox-store');
      await store?.stop('SIGKILL');
      expect((await smtp.smtp('RCPT TO:<nobody@example.test>')).text).toBe('550 5.1.1 No such user here');
      expect((await smtp.smtp('RCPT TO:<gina@example.test>')).text).toBe('250 2.1.5 Recipient ok');
    } finally {
      smtp.close();
    }
  });
});
