/**
 * One real message end to end: SMTP in, across the bus, filtered, stored in
 * PostgreSQL, read back by POP3 byte for byte — with the seeds' dialogues.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { countMessages, Pop3Client } from '@mail/pop3-client';
import { LineClient, serviceNames, startMailStack, waitFor, type MailStack } from '@mail/testing';

describe('the mail path through all five services', () => {
  let stack: MailStack;

  beforeAll(async () => {
    // The zone and its RFC 5782 §5 test entry exist before spam-filter starts: a zone whose first self-test fails is out of use
    // The zone answers at once; 3 s only keeps a loaded machine's slow first self-test answer from taking it out of use (then retested after 5 s)
    stack = await startMailStack({ services: [], env: { DNSBL_ZONES: 'bl.example.test*6', DNSBL_CHECK_PRIVATE: 'true', DNSBL_TIMEOUT: '3s' } });
    stack.dns.zone('bl.example.test', 60);
    stack.dns.listDnsbl('bl.example.test', '127.0.0.2');
    for (const name of serviceNames) await stack.start(name);
    expect((await stack.mailctl('domain', 'add', 'example.test')).code).toBe(0);
    expect((await stack.mailctl('user', 'add', 'bob@example.test', '--password', 'hungry')).code).toBe(0);
    expect((await stack.mailctl('user', 'add', 'carol@example.test', '--password', 'pickles')).code).toBe(0);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("accepts the seed's SMTP dialogue and returns exactly the bytes sent over the seed's POP3 dialogue", async () => {
    const smtp = await LineClient.open(stack.smtpPort);
    expect((await smtp.readSmtpReply()).code).toBe(220);
    expect((await smtp.smtp('HELO crepes.fr')).code).toBe(250);
    expect((await smtp.smtp('MAIL FROM:<alice@crepes.fr>')).code).toBe(250);
    expect((await smtp.smtp('RCPT TO:<bob@example.test>')).code).toBe(250);
    expect((await smtp.smtp('DATA')).code).toBe(354);
    const sent = 'Do you like ketchup?\r\nHow about pickles?\r\n';
    smtp.write(`${sent}.\r\n`);
    const accepted = await smtp.readSmtpReply();
    expect(accepted.code).toBe(250);
    expect((await smtp.smtp('QUIT')).code).toBe(221);
    smtp.close();

    await waitFor(async () => (await countMessages(stack.pop3Port, 'bob@example.test', 'hungry')) === 1, { description: 'the message in bob’s maildrop' });
    const pop3 = await Pop3Client.login(stack.pop3Port, 'bob@example.test', 'hungry');
    const list = await pop3.multiline('LIST');
    expect(list.status).toMatch(/^\+OK/);
    const listing = list.wire.toString();
    const size = Number(/^1 (\d+)\r\n/.exec(listing)?.[1]);
    const retrieved = await pop3.retrieve(1);
    const { status } = retrieved;
    const message = retrieved.content;
    expect(status).toMatch(new RegExp(`^\\+OK ${message.length}\\b`));
    expect(message.length).toBe(size);
    // What the client sent arrives byte for byte, after the trace and verdict header lines the MTA prepends.
    expect(message.subarray(message.length - sent.length).toString()).toBe(sent);
    const prepended = message.subarray(0, message.length - sent.length).toString();
    expect(prepended).toMatch(/^Received: from crepes\.fr \(.*127\.0\.0\.1.*\)\r\n\tby mx\.example\.test/);
    // Not spam; the seed's message has no header section, so the content rules for missing Date/From/Message-ID add a little.
    expect(prepended).toMatch(/X-Spam-Status: No, score=\d\.\d required=5\.0 tests=[\s\S]*MISSING_DATE/);
    // The seed's body has no header section: an empty line keeps its first line body, not a header field.
    expect(prepended.endsWith('\r\n\r\n')).toBe(true);
    expect(await pop3.command('DELE 1')).toMatch(/^\+OK/);
    expect(await pop3.command('QUIT')).toMatch(/^\+OK/);
    pop3.close();
    expect(await countMessages(stack.pop3Port, 'bob@example.test', 'hungry')).toBe(0);
  });

  it('keeps leading dots intact through SMTP dot-stuffing and POP3 byte-stuffing (seed 004)', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: stack.smtpPort, secure: false, ignoreTLS: true });
    const text = 'this message is a test of SMTP\r\n.\r\n.foo\r\n.\r\n';
    const info = await transport.sendMail({ from: 'alice@crepes.fr', to: 'carol@example.test', subject: 'dots', text });
    expect(info.accepted).toEqual(['carol@example.test']);
    transport.close();

    await waitFor(async () => (await countMessages(stack.pop3Port, 'carol@example.test', 'pickles')) === 1, { description: 'the dotted message' });
    const pop3 = await Pop3Client.login(stack.pop3Port, 'carol@example.test', 'pickles');
    const retrieved = await pop3.retrieve(1);
    const { wire } = retrieved;
    // On the wire the three dot lines are stuffed again...
    expect(wire.toString()).toContain('\r\nthis message is a test of SMTP\r\n..\r\n..foo\r\n..\r\n');
    // ...and arrive as `.`, `.foo`, `.`.
    expect(retrieved.content.toString()).toContain('\r\nthis message is a test of SMTP\r\n.\r\n.foo\r\n.\r\n');
    await pop3.quit();
  });

  it('looks the client IP up in the configured DNSBL zone through the dns2 server', async () => {
    // A client address of this test's own: spam-filter's self-test of the zone asks for 127.0.0.1 and 127.0.0.2 by itself (RFC 5782 §5)
    const client = await LineClient.open(stack.smtpPort, { localAddress: '127.0.0.9', replyTimeoutMs: 30_000 });
    try {
      expect((await client.readSmtpReply()).lastLine).toMatch(/^220 /);
      expect((await client.smtp('EHLO client.test')).lastLine).toMatch(/^250 /);
      expect((await client.smtp('MAIL FROM:<alice@crepes.fr>')).lastLine).toMatch(/^250 /);
      expect((await client.smtp('RCPT TO:<bob@example.test>')).lastLine).toMatch(/^250 /);
      await client.smtp('QUIT');
    } finally {
      client.close();
    }
    // RFC 5782 §2.1: the octets reversed under the zone
    await waitFor(() => stack.dns.queries.some((q) => q.name === '9.0.0.127.bl.example.test' && q.type === 'A'), { description: 'the DNSBL query for 127.0.0.9' });
  });

  it('refuses unknown local users and relaying at RCPT', async () => {
    const smtp = await LineClient.open(stack.smtpPort);
    await smtp.readSmtpReply();
    await smtp.smtp('EHLO client.test');
    expect((await smtp.smtp('MAIL FROM:<alice@crepes.fr>')).code).toBe(250);
    const unknown = await smtp.smtp('RCPT TO:<nobody@example.test>');
    expect(unknown.text).toMatch(/^550 5\.1\.1 /);
    const relay = await smtp.smtp('RCPT TO:<someone@elsewhere.test>');
    expect(relay.text).toMatch(/^550 5\.7\.1 /);
    expect((await smtp.smtp('DATA')).code).toBe(503);
    await smtp.smtp('QUIT');
    smtp.close();
  });
});
