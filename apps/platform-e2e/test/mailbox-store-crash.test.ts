/**
 * SIGKILL mailbox-store while mail is flowing, start it again: every message
 * that got a 250 is stored exactly once (counted by Message-ID).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { countMessages, Pop3Client } from '@mail/pop3-client';
import { startMailStack, waitFor, type MailStack } from '@mail/testing';

const total = 120;

describe('mailbox-store killed mid-flow', () => {
  let stack: MailStack;

  beforeAll(async () => {
    stack = await startMailStack();
    expect((await stack.mailctl('domain', 'add', 'example.test')).code).toBe(0);
    expect((await stack.mailctl('user', 'add', 'dave@example.test', '--password', 'crash-test')).code).toBe(0);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('loses and duplicates nothing', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: stack.smtpPort, pool: true, maxConnections: 5, ignoreTLS: true });
    let accepted = 0;
    const sends = Array.from({ length: total }, (_, i) =>
      transport.sendMail({ from: 'alice@crepes.fr', to: 'dave@example.test', subject: `n${i}`, text: `message ${i}`, messageId: `<crash-${i}@e2e.test>` }).then(() => accepted++),
    );
    // Kill the store once mail is in flight, then bring it back.
    await waitFor(() => accepted >= total / 4, { description: 'a quarter of the messages accepted' });
    const store = stack.services.get('mailbox-store');
    expect(await store?.stop('SIGKILL')).toBe('SIGKILL');
    await Promise.all(sends);
    expect(accepted).toBe(total);
    transport.close();
    await stack.start('mailbox-store');

    await waitFor(async () => (await countMessages(stack.pop3Port, 'dave@example.test', 'crash-test')) >= total, {
      timeoutMs: 90_000,
      description: `all ${total} messages stored`,
    });
    const pop3 = await Pop3Client.login(stack.pop3Port, 'dave@example.test', 'crash-test');
    const ids: string[] = [];
    for (let n = 1; n <= total; n++) {
      const message = (await pop3.retrieve(n)).content.toString();
      ids.push(/^Message-ID: (.*)$/im.exec(message)?.[1]?.trim() ?? `missing-${n}`);
    }
    await pop3.quit();
    expect(new Set(ids).size).toBe(total);
    expect(ids.every((id) => /^<crash-\d+@e2e\.test>$/.test(id))).toBe(true);
    expect(await countMessages(stack.pop3Port, 'dave@example.test', 'crash-test')).toBe(total);
  });
});
