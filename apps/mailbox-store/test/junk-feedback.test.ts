/** Integration: moving a message into Junk with the real mailctl teaches the real spam-filter (feedback.classified). */
import { Bus } from '@mail/bus';
import { Requests } from '@mail/contracts';
import { startMailStack, waitFor, type MailStack } from '@mail/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifiedMail, publishClassified, sampleMessage } from './fixtures/classified-mail';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('training the classifier by moving a message in or out of Junk', () => {
  let stack: MailStack;
  let bus: Bus;

  beforeAll(async () => {
    stack = await startMailStack({ services: ['mailbox-store', 'spam-filter'] });
    bus = await Bus.connect({ url: stack.env['NATS_URL'] ?? '', name: 'junk-feedback-test', namespace: stack.env['NATS_NAMESPACE'] ?? '', log: silent });
  }, 60_000);
  afterAll(async () => {
    await bus?.close();
    await stack?.stop();
  });

  it('moves the entry into Junk and spam-filter learns one more spam message', async () => {
    expect((await stack.mailctl('domain', 'add', 'example.test')).code).toBe(0);
    expect((await stack.mailctl('user', 'add', 'bob@example.test', '--password', 's3cret')).code).toBe(0);
    await publishClassified(bus, await classifiedMail(bus, { queueId: 'junkfeedback01', body: sampleMessage('Cheap pills now', 4_000), localRecipients: ['bob@example.test'] }));
    const listed = await waitFor(
      async () => {
        const result = await stack.mailctl('message', 'list', 'bob@example.test', '--folder', 'INBOX');
        return /^[0-9a-f]{32}\s/m.test(result.stdout) ? result.stdout : undefined;
      },
      { description: 'the message in INBOX' },
    );
    expect(listed).toMatch(/Cheap pills now/);
    const uid = /^([0-9a-f]{32})\s/m.exec(listed)?.[1] ?? '';
    const before = await bus.request(Requests.spamStats, { version: 1 }, 10_000);

    const moved = await stack.mailctl('message', 'move', 'bob@example.test', uid, 'Junk');
    expect(moved).toMatchObject({ code: 0, stdout: `message ${uid} moved from INBOX to Junk (learned as spam)\n` });
    await waitFor(async () => (await bus.request(Requests.spamStats, { version: 1 }, 10_000)).spamMessages === before.spamMessages + 1, {
      description: 'spam-filter to learn one more spam message',
    });
    expect((await stack.mailctl('message', 'list', 'bob@example.test', '--folder', 'Junk')).stdout).toContain(uid);
    expect((await stack.mailctl('message', 'move', 'bob@example.test', uid, 'Junk')).stdout).toBe(`message ${uid} is already in Junk\n`);
  }, 60_000);

  it('refuses an unknown uid and an unknown user with their codes', async () => {
    const unknownMessage = await stack.mailctl('message', 'move', 'bob@example.test', 'f'.repeat(32), 'INBOX');
    expect(unknownMessage.code).toBe(1);
    expect(unknownMessage.stderr).toMatch(/\(unknown-message\)\n$/);
    const unknownUser = await stack.mailctl('message', 'move', 'nobody@example.test', 'f'.repeat(32), 'INBOX');
    expect(unknownUser.stderr).toMatch(/\(unknown-user\)\n$/);
  });
});
