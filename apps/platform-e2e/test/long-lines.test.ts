/**
 * Lines longer than RFC 5321 §4.5.3.1.6's 1000 octets, end to end (issue
 * 16): real mail has them and Postfix keeps it, so smtp-ingress keeps such a
 * line as received (up to SMTP_MAX_LINE_LENGTH) — a local recipient reads
 * it back byte for byte over POP3 — and outbound-relay sends it on to
 * another server within the limit (RFC 5322 §2.1.1): re-encoded as
 * quoted-printable, the same text once decoded. Sent with swaks, as an
 * operator would (Debian package `swaks`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { countMessages, Pop3Client } from '@mail/pop3-client';
import { describeWithTools, externalTools, startMailStack, startSmtpSink, swaks, waitFor, type MailStack, type SmtpSink, type SwaksResult } from '@mail/testing';

const password = 'long-lines-all-the-way';
/** A 5,000-octet line of words: five times what RFC 5321 allows, well under SMTP_MAX_LINE_LENGTH. */
const longLine = Array.from({ length: 1000 }, (_, n) => `w${String(n % 1000).padStart(3, '0')}`)
  .join(' ')
  .slice(0, 4998);

/** Runs swaks with the message in `data` (written to a file in `folder`, as `--data @file` reads it). */
async function swaksWithData(folder: string, data: string, ...args: string[]): Promise<SwaksResult> {
  const file = join(folder, `message-${Date.now()}.eml`);
  writeFileSync(file, data);
  return swaks('--data', `@${file}`, ...args);
}

const lines = (octets: Buffer): string[] => octets.toString('latin1').split('\r\n');

describeWithTools([externalTools.swaks], 'a line of 5,000 octets', () => {
  let stack: MailStack;
  let sink: SmtpSink;
  let folder: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'long-lines-'));
    sink = await startSmtpSink({ host: '127.0.0.2' });
    stack = await startMailStack({ env: { OUTBOUND_SMTP_PORT: String(sink.port), SUBMISSION_ALLOW_PLAINTEXT_AUTH: 'true' } });
    stack.dns.add('remote.test', { type: 'MX', preference: 10, exchange: 'mx.remote.test' });
    stack.dns.add('mx.remote.test', { type: 'A', address: '127.0.0.2' });
    expect((await stack.mailctl('domain', 'add', 'example.test')).code).toBe(0);
    expect((await stack.mailctl('user', 'add', 'bob@example.test', '--password', password)).code).toBe(0);
  });
  afterAll(async () => {
    await stack?.stop();
    await sink?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('is kept as received for a local recipient: POP3 gives the line back byte for byte', async () => {
    const message = `From: alice@crepes.fr\r\nTo: bob@example.test\r\nSubject: long line in\r\nDate: Sun, 06 Dec 2026 06:00:00 +0000\r\nMessage-ID: <long.in@crepes.fr>\r\n\r\n${longLine}\r\nshort line\r\n`;
    const sent = await swaksWithData(folder, message, '--port', String(stack.smtpPort), '--from', 'alice@crepes.fr', '--to', 'bob@example.test');
    expect(sent.code, sent.transcript).toBe(0);
    expect(sent.transcript).toMatch(/250 2\.0\.0 Ok: queued as/);
    await waitFor(async () => (await countMessages(stack.pop3Port, 'bob@example.test', password)) === 1, { timeoutMs: 30_000, description: 'the message in bob’s maildrop' });
    const pop3 = await Pop3Client.login(stack.pop3Port, 'bob@example.test', password);
    try {
      const retrieved = await pop3.retrieve(1);
      expect(lines(retrieved.content)).toContain(longLine);
    } finally {
      await pop3.quit();
    }
  });

  it('goes to another server with every line within 998 octets and the same text', async () => {
    const message = `From: bob@example.test\r\nTo: carol@remote.test\r\nSubject: long line out\r\nDate: Sun, 06 Dec 2026 06:00:00 +0000\r\nMessage-ID: <long.out@example.test>\r\n\r\n${longLine}\r\nshort line\r\n`;
    const sent = await swaksWithData(
      folder,
      message,
      '--port',
      String(stack.submissionPort),
      '--auth',
      'PLAIN',
      '--auth-user',
      'bob@example.test',
      '--auth-password',
      password,
      '--from',
      'bob@example.test',
      '--to',
      'carol@remote.test',
    );
    expect(sent.code, sent.transcript).toBe(0);
    await waitFor(() => sink.delivered().some((t) => t.rcptTo.includes('carol@remote.test')), { timeoutMs: 60_000, description: 'the message at the remote MX' });
    const delivered = sink.delivered().find((t) => t.rcptTo.includes('carol@remote.test'));
    const octets = delivered?.data ?? Buffer.alloc(0);
    // RFC 5322 §2.1.1: at most 998 characters before CRLF
    expect(Math.max(...lines(octets).map((line) => line.length))).toBeLessThanOrEqual(998);
    const parsed = await simpleParser(octets);
    expect(parsed.subject).toBe('long line out');
    expect(parsed.text?.split(/\r?\n/)).toEqual(expect.arrayContaining([longLine, 'short line']));
  });
});
