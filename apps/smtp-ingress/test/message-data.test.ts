/**
 * Message data against the real process: the SMTP smuggling vectors inside
 * DATA never end it nor produce a second message, BDAT chunks (RFC 3030)
 * take the same end-of-message path, and the Received: field names the
 * client by its forward-confirmed reverse DNS (served by the dns2 fixture,
 * its answers kept for their TTL);
 * a small body travels inline in the event, a larger one in the object store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INLINE_BODY_MAX_OCTETS } from '@mail/contracts';
import { beginData, openSmtp, startIngressStack, type IngressStack } from './fixtures/ingress-stack';

// After the vector: a complete second transaction a lenient server would run
const smuggled = 'MAIL FROM:<evil@attacker.test>\r\nRCPT TO:<carol@example.test>\r\nDATA\r\nSubject: smuggled\r\n\r\nsmuggled\r\n';

const vectors: [string, string][] = [
  ['LF . LF', '\n.\n'],
  ['CRLF . LF', '\r\n.\n'],
  ['LF . CRLF', '\n.\r\n'],
  ['CR . CRLF', '\r.\r\n'],
  ['bare LF', '\n'],
  ['bare CR', '\r'],
];

describe('smtp-ingress message data', () => {
  let ingress: IngressStack;
  let port: number;

  beforeAll(async () => {
    ingress = await startIngressStack({ SMTP_MAX_ERRORS: '50' });
    port = ingress.stack.smtpPort;
    ingress.stack.dns.add('1.0.0.127.in-addr.arpa', { type: 'PTR', target: 'client.example.test' });
    ingress.stack.dns.add('client.example.test', { type: 'A', address: '127.0.0.1' });
  });
  afterAll(async () => {
    await ingress?.stop();
  });

  it.each(vectors)('refuses %s inside DATA with 550 5.6.11 after the real terminator, and runs nothing smuggled', async (_name, vector) => {
    const before = await ingress.receivedEvents();
    const smtp = await openSmtp(port);
    await beginData(smtp);
    smtp.write(`Subject: first\r\n\r\nfirst${vector}${smuggled}.\r\n`);
    expect((await smtp.readSmtpReply()).text).toMatch(/^550 5\.6\.11 /);
    // Exactly one reply: the next one answers our NOOP, not a smuggled command
    expect((await smtp.smtp('NOOP')).text).toBe('250 2.0.0 Ok');
    smtp.close();
    expect(await ingress.receivedEvents()).toHaveLength(before.length);
  });

  it('accepts a clean message on the same session after a refused one', async () => {
    const before = (await ingress.receivedEvents()).length;
    const smtp = await openSmtp(port);
    await beginData(smtp);
    smtp.write('a\nb\r\n.\r\n');
    expect((await smtp.readSmtpReply()).code).toBe(550);
    await beginData(smtp);
    smtp.write('Subject: clean\r\n\r\nclean\r\n.\r\n');
    expect((await smtp.readSmtpReply()).text).toMatch(/^250 2\.0\.0 Ok: queued as /);
    smtp.close();
    expect(await ingress.waitForEvents(before + 1)).toHaveLength(before + 1);
  });

  it('names the client by its forward-confirmed reverse DNS in Received:', async () => {
    const smtp = await openSmtp(port);
    await beginData(smtp);
    smtp.write('Subject: rdns\r\n\r\nhello\r\n.\r\n');
    const queueId = /queued as (\S+)/.exec((await smtp.readSmtpReply()).text)?.[1];
    smtp.close();
    const event = (await ingress.receivedEvents()).find((e) => e.queueId === queueId);
    expect(event?.traceHeaders[0]?.value).toMatch(/^from client\.test \(client\.example\.test \[127\.0\.0\.1\]\)\r\n\tby mx\.example\.test with ESMTP id /);
  });

  it('keeps the reverse DNS answers for their TTL: a second connection from the address asks DNS nothing', async () => {
    const send = async (subject: string): Promise<string> => {
      const smtp = await openSmtp(port);
      await beginData(smtp);
      smtp.write(`Subject: ${subject}\r\n\r\nhello\r\n.\r\n`);
      const queueId = /queued as (\S+)/.exec((await smtp.readSmtpReply()).text)?.[1];
      smtp.close();
      return (await ingress.eventOf(queueId)).traceHeaders[0]?.value ?? '';
    };
    const reverseQuestions = (): number => ingress.stack.dns.queries.filter((q) => q.name === '1.0.0.127.in-addr.arpa' || q.name === 'client.example.test').length;
    expect(await send('first')).toMatch(/^from client\.test \(client\.example\.test \[127\.0\.0\.1\]\)/);
    const asked = reverseQuestions();
    expect(await send('second')).toMatch(/^from client\.test \(client\.example\.test \[127\.0\.0\.1\]\)/);
    expect(reverseQuestions()).toBe(asked);
  });

  it('accepts pipelined BDAT chunks and stores them byte for byte', async () => {
    const smtp = await openSmtp(port);
    const first = Buffer.from('Subject: chunks\r\n\r\n.leading dot stays\r\n');
    const second = Buffer.from('and\r\n.\r\nis not an end here\r\n');
    smtp.write(
      Buffer.concat([
        Buffer.from('MAIL FROM:<alice@crepes.fr>\r\nRCPT TO:<bob@example.test>\r\n'),
        Buffer.from(`BDAT ${first.length}\r\n`),
        first,
        Buffer.from(`BDAT ${second.length} LAST\r\n`),
        second,
        Buffer.from('NOOP\r\n'),
      ]),
    );
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push((await smtp.readSmtpReply()).text);
    expect(replies.slice(0, 3)).toEqual(['250 2.1.0 Sender ok', '250 2.1.5 Recipient ok', `250 2.0.0 ${first.length} octets received`]);
    expect(replies[3]).toMatch(/^250 2\.0\.0 Ok: queued as /);
    expect(replies[4]).toBe('250 2.0.0 Ok');
    smtp.close();
    const queueId = /queued as (\S+)/.exec(replies[3] ?? '')?.[1];
    const event = await ingress.eventOf(queueId);
    expect((await ingress.body(event)).equals(Buffer.concat([first, second]))).toBe(true);
  });

  it('takes BODY=BINARYMIME only with BDAT and keeps every octet', async () => {
    const binary = Buffer.from([0x00, 0x0a, 0x0d, 0xff, 0x2e, 0x0d, 0x0a, 0x2e, 0x0d, 0x0a, 0x80]);
    const smtp = await openSmtp(port);
    expect((await smtp.smtp('MAIL FROM:<alice@crepes.fr> BODY=BINARYMIME')).code).toBe(250);
    expect((await smtp.smtp('RCPT TO:<bob@example.test>')).code).toBe(250);
    expect((await smtp.smtp('DATA')).text).toBe('503 5.5.1 Bad sequence of commands: BODY=BINARYMIME requires BDAT');
    smtp.write(Buffer.concat([Buffer.from(`BDAT ${binary.length} LAST\r\n`), binary]));
    const queueId = /queued as (\S+)/.exec((await smtp.readSmtpReply()).text)?.[1];
    expect(queueId).toBeDefined();
    smtp.close();
    const event = await ingress.eventOf(queueId);
    expect(event.envelope.bodyType).toBe('BINARYMIME');
    expect((await ingress.body(event)).equals(binary)).toBe(true);
  });

  it('carries a body up to INLINE_BODY_MAX_OCTETS inline in the event and a larger one in the object store, both byte for byte', async () => {
    const line = `${'x'.repeat(78)}\r\n`;
    const bodyOf = (octets: number): Buffer => {
      const head = 'Subject: sizes\r\n\r\n';
      const lines = line.repeat(Math.floor((octets - head.length) / line.length));
      return Buffer.from(head + lines + 'y'.repeat(octets - head.length - lines.length - 2) + '\r\n');
    };
    const sendAndFetch = async (body: Buffer) => {
      const smtp = await openSmtp(port);
      await beginData(smtp);
      smtp.write(Buffer.concat([body, Buffer.from('.\r\n')]));
      const queueId = /queued as (\S+)/.exec((await smtp.readSmtpReply()).text)?.[1];
      smtp.close();
      return ingress.eventOf(queueId);
    };
    const small = bodyOf(INLINE_BODY_MAX_OCTETS);
    const smallEvent = await sendAndFetch(small);
    expect(smallEvent.body.inline).toBeDefined();
    expect((await ingress.body(smallEvent)).equals(small)).toBe(true);
    const large = bodyOf(INLINE_BODY_MAX_OCTETS + 1);
    const largeEvent = await sendAndFetch(large);
    expect(largeEvent.body.inline).toBeUndefined();
    expect((await ingress.body(largeEvent)).equals(large)).toBe(true);
  });

  it('refuses DATA after BDAT and reads the chunk of a refused BDAT', async () => {
    const smtp = await openSmtp(port);
    await smtp.smtp('MAIL FROM:<alice@crepes.fr>');
    await smtp.smtp('RCPT TO:<bob@example.test>');
    smtp.write('BDAT 4\r\nab\r\n');
    expect((await smtp.readSmtpReply()).code).toBe(250);
    expect((await smtp.smtp('DATA')).text).toBe('503 5.5.1 Bad sequence of commands: DATA not allowed after BDAT');
    expect((await smtp.smtp('RSET')).code).toBe(250);
    // No transaction now: the BDAT is refused, and its 6 octets ("QUIT\r\n") are dropped, not run
    smtp.write('BDAT 6 LAST\r\nQUIT\r\nNOOP\r\n');
    expect((await smtp.readSmtpReply()).text).toBe('503 5.5.1 Bad sequence of commands: send MAIL FROM first');
    expect((await smtp.readSmtpReply()).text).toBe('250 2.0.0 Ok');
    smtp.close();
  });
});
