/**
 * The client against the real pop3-server: a message sent through
 * smtp-ingress is counted, retrieved as it travelled (byte-stuffed) and as
 * it is, and removed by DELE only when the session ends with QUIT.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailStack, waitFor, type MailStack } from '@mail/testing';
import { countMessages, Pop3Client, Pop3ReplyError } from '../src/index';

const user = 'reader@example.test';
const password = 'reader-password-1';
const body = 'Subject: dots\r\n\r\n.leading dot\r\nplain line\r\n';

describe('Pop3Client against pop3-server', () => {
  let stack: MailStack;

  beforeAll(async () => {
    stack = await startMailStack({ services: ['mailbox-store', 'spam-filter', 'smtp-ingress', 'pop3-server'] });
    for (const args of [
      ['domain', 'add', 'example.test'],
      ['user', 'add', user, '--password', password],
    ])
      expect((await stack.mailctl(...args)).code).toBe(0);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: stack.smtpPort, secure: false, ignoreTLS: true });
    const info = await transport.sendMail({ envelope: { from: 'sender@client.test', to: [user] }, raw: body });
    transport.close();
    expect(info.accepted).toEqual([user]);
    await waitFor(async () => (await countMessages(stack.pop3Port, user, password)) === 1, { timeoutMs: 30_000, description: 'the message in the maildrop' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('retrieves a message stuffed as it travelled and whole once unstuffed (RFC 1939 §3)', async () => {
    const client = await Pop3Client.login(stack.pop3Port, user, password);
    expect(client.greeting).toMatch(/^\+OK/);
    const message = await client.retrieve(1);
    expect(message.status).toMatch(/^\+OK/);
    expect(message.wire.toString()).toContain('\r\n..leading dot\r\n');
    expect(message.wire.toString().endsWith('\r\n.\r\n')).toBe(true);
    expect(message.content.toString().endsWith(body)).toBe(true);
    await client.quit();
  });

  it('removes a message marked deleted only when the session ends with QUIT (RFC 1939 §6)', async () => {
    const dropped = await Pop3Client.login(stack.pop3Port, user, password);
    expect(await dropped.command('DELE 1')).toMatch(/^\+OK/);
    dropped.close();
    await waitFor(async () => (await countMessages(stack.pop3Port, user, password).catch(() => -1)) === 1, { timeoutMs: 10_000, description: 'the maildrop unlocked, message kept' });

    const quitting = await Pop3Client.login(stack.pop3Port, user, password);
    expect(await quitting.command('DELE 1')).toMatch(/^\+OK/);
    await expect(quitting.command('RETR 1')).rejects.toBeInstanceOf(Pop3ReplyError);
    await quitting.quit();
    expect(await countMessages(stack.pop3Port, user, password)).toBe(0);
  });

  it('rejects a wrong password with the server -ERR line', async () => {
    await expect(Pop3Client.login(stack.pop3Port, user, 'wrong')).rejects.toMatchObject({ name: 'Pop3ReplyError', command: 'PASS', line: expect.stringMatching(/^-ERR/) });
  });
});
