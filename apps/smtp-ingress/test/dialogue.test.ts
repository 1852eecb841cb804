/**
 * smtp-ingress as a real process, driven with raw sockets and nodemailer:
 * the seed dialogues, the EHLO extensions, pipelining, sequencing, limits,
 * relay refusals, the close after QUIT, and the event it publishes for
 * each accepted message.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { waitFor } from '@mail/testing';
import { beginData, openSmtp, startIngressStack, type IngressStack } from './fixtures/ingress-stack';

const MAX_SIZE = 65_536;

describe('smtp-ingress dialogue', () => {
  let ingress: IngressStack;
  let port: number;

  beforeAll(async () => {
    ingress = await startIngressStack({ MAX_MESSAGE_SIZE: String(MAX_SIZE), SMTP_MAX_ERRORS: '5' });
    port = ingress.stack.smtpPort;
  });
  afterAll(async () => {
    await ingress?.stop();
  });

  it("accepts seed 001's dialogue and publishes the message with its envelope only after storing it", async () => {
    const before = (await ingress.receivedEvents()).length;
    const smtp = await openSmtp(port, null);
    expect(await smtp.smtp('HELO crepes.fr')).toMatchObject({ text: '250 mx.example.test Hello crepes.fr' });
    expect((await smtp.smtp('MAIL FROM:<alice@crepes.fr>')).text).toBe('250 2.1.0 Sender ok');
    expect((await smtp.smtp('RCPT TO:<bob@example.test>')).text).toBe('250 2.1.5 Recipient ok');
    expect((await smtp.smtp('DATA')).code).toBe(354);
    smtp.write('Do you like ketchup?\r\nHow about pickles?\r\n.\r\n');
    const accepted = await smtp.readSmtpReply();
    const queueId = /^250 2\.0\.0 Ok: queued as ([A-Za-z0-9_-]{8,64})$/.exec(accepted.text)?.[1];
    expect(queueId, accepted.text).toBeDefined();
    expect((await smtp.smtp('QUIT')).text).toBe('221 2.0.0 mx.example.test closing connection');
    await smtp.waitClosed();

    await ingress.waitForEvents(before + 1);
    const event = await ingress.eventOf(queueId);
    expect(event).toMatchObject({
      session: { listener: 'inbound', clientIp: '127.0.0.1', helo: 'crepes.fr', tls: false },
      envelope: {
        mailFrom: 'alice@crepes.fr',
        recipients: [{ address: 'bob@example.test', route: 'local', mailbox: 'bob@example.test' }],
        smtputf8: false,
        bodyType: '7BIT',
      },
      body: { key: queueId, size: 42 },
    });
    expect(event.traceHeaders).toEqual([
      {
        name: 'Received',
        value: expect.stringMatching(
          new RegExp(
            `^from crepes\\.fr \\(unknown \\[127\\.0\\.0\\.1\\]\\)\\r\\n\\tby mx\\.example\\.test with SMTP id ${queueId}\\r\\n\\tfor <bob@example\\.test>; \\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} \\+0000$`,
          ),
        ),
      },
    ]);
    // The stored body is exactly what was sent: no Received: inside (it travels in traceHeaders)
    expect((await ingress.body(event)).toString()).toBe('Do you like ketchup?\r\nHow about pickles?\r\n');
  });

  it('keeps the leading dots of seed 004 through dot-stuffing (nodemailer client)', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    const message: SMTPTransport.MailOptions = {
      from: 'alice@crepes.fr',
      to: 'carol@example.test',
      subject: 'dots',
      text: 'this message is a test of SMTP\r\n.\r\n.foo\r\n.\r\n',
      dsn: { envid: 'env-42', ret: 'HDRS', notify: ['FAILURE', 'DELAY'], orcpt: 'rfc822;alice@crepes.fr' },
    };
    const info = await transport.sendMail(message);
    transport.close();
    expect(info.accepted).toEqual(['carol@example.test']);
    const queueId = /queued as (\S+)/.exec(info.response)?.[1];
    const event = await ingress.eventOf(queueId);
    expect(event.envelope).toMatchObject({
      dsnReturn: 'HDRS',
      dsnEnvelopeId: 'env-42',
      recipients: [{ address: 'carol@example.test', route: 'local', dsn: { notify: ['FAILURE', 'DELAY'], orcpt: expect.stringMatching(/^rfc822;alice@crepes\.fr$/i) } }],
    });
    expect((await ingress.body(event)).toString()).toContain('\r\n\r\nthis message is a test of SMTP\r\n.\r\n.foo\r\n.\r\n');
  });

  it('advertises its extensions to EHLO (no STARTTLS without a certificate)', async () => {
    const smtp = await openSmtp(port, null);
    const reply = await smtp.smtp('EHLO client.test');
    expect(reply.lines).toEqual([
      '250-mx.example.test Hello client.test',
      '250-PIPELINING',
      `250-SIZE ${MAX_SIZE}`,
      '250-8BITMIME',
      '250-BINARYMIME',
      '250-ENHANCEDSTATUSCODES',
      '250-SMTPUTF8',
      '250-CHUNKING',
      '250 DSN',
    ]);
    smtp.close();
  });

  it('answers pipelined commands in order, one reply each (RFC 2920)', async () => {
    const before = (await ingress.receivedEvents()).length;
    const smtp = await openSmtp(port);
    smtp.write('MAIL FROM:<alice@crepes.fr>\r\nRCPT TO:<nobody@example.test>\r\nRCPT TO:<bob@example.test>\r\nRCPT TO:<carol@example.test>\r\nDATA\r\n');
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await smtp.readSmtpReply()).text);
    expect(codes).toEqual(['250 2.1.0 Sender ok', expect.stringMatching(/^550 5\.1\.1 /), '250 2.1.5 Recipient ok', '250 2.1.5 Recipient ok', expect.stringMatching(/^354 /)]);
    smtp.write('Subject: two\r\n\r\nfor two\r\n.\r\nNOOP\r\nQUIT\r\n');
    expect((await smtp.readSmtpReply()).text).toMatch(/^250 2\.0\.0 Ok: queued as /);
    expect((await smtp.readSmtpReply()).text).toBe('250 2.0.0 Ok');
    expect((await smtp.readSmtpReply()).code).toBe(221);
    const events = await ingress.waitForEvents(before + 1);
    const last = events[events.length - 1];
    expect(last?.envelope.recipients.map((r) => r.address)).toEqual(['bob@example.test', 'carol@example.test']);
    expect(last?.traceHeaders[0]?.value).not.toMatch(/\tfor </);
  });

  it('releases the connection once its 221 is out, without waiting for the client to close (RFC 5321 §4.1.1.10)', async () => {
    // A client that keeps its side open: it still reads the 221 and the end of the stream
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    const ended = new Promise((resolve) => socket.once('end', resolve));
    let reset = false;
    socket.once('close', () => (reset = true));
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    socket.write('QUIT\r\n');
    await ended;
    expect(received).toMatch(/^220 [^\r]*\r\n221 2\.0\.0 mx\.example\.test closing connection\r\n$/);
    // The server's socket is gone already: what the client sends now is answered by a reset (seen at the next
    // write), where a server waiting for the client's close would hold it for its 5 s grace
    await waitFor(
      () => {
        if (!reset) socket.write('NOOP\r\n');
        return reset;
      },
      { timeoutMs: 3_000, intervalMs: 50, description: 'a reset from the released connection' },
    );
    expect(socket.destroyed).toBe(true);
  });

  it('refuses commands out of sequence with 503 5.5.1 naming what is missing', async () => {
    const smtp = await openSmtp(port, null);
    expect((await smtp.smtp('MAIL FROM:<alice@crepes.fr>')).text).toBe('503 5.5.1 Bad sequence of commands: send HELO or EHLO first');
    await smtp.smtp('EHLO client.test');
    expect((await smtp.smtp('RCPT TO:<bob@example.test>')).text).toBe('503 5.5.1 Bad sequence of commands: send MAIL FROM first');
    expect((await smtp.smtp('DATA')).text).toBe('503 5.5.1 Bad sequence of commands: send MAIL FROM first');
    await smtp.smtp('MAIL FROM:<alice@crepes.fr>');
    expect((await smtp.smtp('DATA')).text).toBe('503 5.5.1 Bad sequence of commands: send a valid RCPT TO first');
    expect((await smtp.smtp('RSET')).text).toBe('250 2.0.0 Ok');
    smtp.close();
  });

  it('answers unknown commands, over-long lines, VRFY, HELP and NOOP', async () => {
    const smtp = await openSmtp(port);
    expect((await smtp.smtp('XYZZY')).text).toBe('500 5.5.2 Command unrecognized');
    expect((await smtp.smtp(`NOOP ${'x'.repeat(600)}`)).text).toBe('500 5.5.6 Line too long');
    expect((await smtp.smtp('VRFY bob@example.test')).text).toBe('252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery');
    expect((await smtp.smtp('VRFY nobody@example.test')).code).toBe(252);
    expect((await smtp.smtp('HELP')).code).toBe(214);
    expect((await smtp.smtp('NOOP')).text).toBe('250 2.0.0 Ok');
    smtp.close();
  });

  it('closes with 421 after too many client errors', async () => {
    const smtp = await openSmtp(port);
    for (let i = 0; i < 5; i++) expect((await smtp.smtp('BOGUS')).code).toBe(500);
    expect((await smtp.readSmtpReply()).text).toBe('421 4.7.0 mx.example.test Too many errors, closing connection');
    await smtp.waitClosed();
  });

  it('refuses a declared SIZE at MAIL and a real oversize message at the end of data (RFC 1870)', async () => {
    const before = (await ingress.receivedEvents()).length;
    const smtp = await openSmtp(port);
    expect((await smtp.smtp(`MAIL FROM:<alice@crepes.fr> SIZE=${MAX_SIZE + 1}`)).text).toMatch(/^552 5\.3\.4 /);
    await beginData(smtp);
    const line = `${'x'.repeat(998)}\r\n`;
    smtp.write(`${line.repeat(Math.ceil(MAX_SIZE / line.length) + 1)}.\r\n`);
    expect((await smtp.readSmtpReply()).text).toMatch(/^552 5\.3\.4 Message size exceeds/);
    // The session goes on: the rest of the data was read, not taken for commands
    expect((await smtp.smtp('NOOP')).text).toBe('250 2.0.0 Ok');
    smtp.close();
    expect(await ingress.receivedEvents()).toHaveLength(before);
  });

  it('is no open relay: refuses other domains and every relay trick at RCPT', async () => {
    const smtp = await openSmtp(port);
    await smtp.smtp('MAIL FROM:<alice@crepes.fr>');
    expect((await smtp.smtp('RCPT TO:<someone@elsewhere.test>')).text).toBe('550 5.7.1 Relaying denied');
    expect((await smtp.smtp('RCPT TO:<user%other.test@example.test>')).text).toMatch(/^550 5\.7\.1 Relaying denied: "%"/);
    expect((await smtp.smtp('RCPT TO:<other.test!user@example.test>')).text).toMatch(/^550 5\.7\.1 Relaying denied: "!"/);
    expect((await smtp.smtp('RCPT TO:<@example.test:user@other.test>')).text).toMatch(/^550 5\.7\.1 Relaying denied: source routes/);
    smtp.close();
    // A fresh session: each refusal counts towards the error budget (5)
    const again = await openSmtp(port);
    await again.smtp('MAIL FROM:<alice@crepes.fr>');
    expect((await again.smtp('RCPT TO:<"user@other.test"@example.test>')).text).toMatch(/^550 5\.7\.1 Relaying denied: "@"/);
    expect((await again.smtp('RCPT TO:<bob@example.test.>')).text).toMatch(/^501 5\.1\.3 .*trailing dot/);
    expect((await again.smtp('RCPT TO:<bob@example.test')).text).toMatch(/^501 5\.1\.3 .*">"/);
    expect((await again.smtp('RCPT TO:<bob@[127.0.0.1>')).text).toMatch(/^501 5\.1\.3 .*"\["/);
    again.close();
    const sender = await openSmtp(port);
    expect((await sender.smtp('MAIL FROM:<@relay.test:alice@crepes.fr>')).text).toBe('553 5.7.1 Source routes are not accepted');
    sender.close();
  });

  it('requires authentication before MAIL on the submission listener', async () => {
    const smtp = await openSmtp(ingress.stack.submissionPort);
    expect((await smtp.smtp('MAIL FROM:<bob@example.test>')).text).toBe('530 5.7.0 Authentication required');
    smtp.close();
  });

  it('exposes its metrics', async () => {
    const ops = ingress.stack.services.get('smtp-ingress')?.opsPort;
    const text = await (await fetch(`http://127.0.0.1:${ops}/metrics`)).text();
    expect(text).toMatch(/mail_smtp_connections_total\{listener="inbound"[^}]*\} \d+/);
    expect(text).toMatch(/mail_smtp_connections_total\{listener="submission"/);
    expect(text).toMatch(/mail_smtp_replies_total\{class="5xx"/);
    expect(text).toMatch(/mail_smtp_messages_accepted_total\{listener="inbound"/);
    expect(text).toMatch(/mail_smtp_messages_rejected_total\{reason="too-big"/);
    expect(text).toMatch(/mail_smtp_message_size_bytes_bucket/);
  });
});
