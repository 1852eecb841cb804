/**
 * End to end through all five services: mail from an unlisted client is
 * delivered with `X-Spam-Status: No`, mail from a client a DNSBL zone lists
 * goes to Junk tagged with the zone's rule, `mailctl spam train|stats`
 * reach the filter, and users' moves into and out of Junk (`mailctl
 * message move`) show in `mailctl spam stats` per day.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineClient, startMailStack, waitFor, type MailStack } from '@mail/testing';
import { buildCorpus } from './synthetic-corpus';

/** Every message of a maildrop over POP3 (RFC 1939), unstuffed. */
async function maildrop(port: number, user: string, password: string): Promise<string[]> {
  const pop3 = await LineClient.open(port);
  try {
    await pop3.readLine();
    for (const line of [`USER ${user}`, `PASS ${password}`, 'STAT']) pop3.send(line);
    const replies = [await pop3.readLine(), await pop3.readLine(), await pop3.readLine()];
    const count = Number(replies[2]?.split(' ')[1] ?? 0);
    const messages: string[] = [];
    for (let n = 1; n <= count; n++) {
      pop3.send(`RETR ${n}`);
      await pop3.readLine();
      const wire = (await pop3.readUntil('\r\n.\r\n')).toString('latin1').slice(0, -3);
      messages.push(
        wire
          .split('\r\n')
          .map((line) => (line.startsWith('.') ? line.slice(1) : line))
          .join('\r\n'),
      );
    }
    pop3.send('QUIT');
    await pop3.readLine();
    return messages;
  } finally {
    pop3.close();
  }
}

async function send(port: number, localAddress: string, subject: string): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, localAddress, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ from: 'alice@crepes.fr', to: 'bob@example.test', subject, text: 'Do you like ketchup?' });
  } finally {
    transport.close();
  }
}

describe('spam filtering through the whole platform', () => {
  let stack: MailStack;
  let corpusDir: string;

  beforeAll(async () => {
    stack = await startMailStack({
      env: { DNSBL_ZONES: 'bl.example.test*12,junk.example.test*9', DNSBL_CHECK_PRIVATE: 'true', DNSBL_SELFTEST_INTERVAL: '1s', POP3_FOLDERS: 'INBOX,Junk' },
    });
    stack.dns.listDnsbl('bl.example.test', '127.0.0.2');
    for (const ip of ['127.0.0.2', '127.0.0.3']) stack.dns.listDnsbl('junk.example.test', ip);
    expect((await stack.mailctl('domain', 'add', 'example.test')).code).toBe(0);
    expect((await stack.mailctl('user', 'add', 'bob@example.test', '--password', 'hungry')).code).toBe(0);
    // The zones were empty when the filter started; its self-test puts them in use once they answer.
    await waitFor(async () => !/out of use/.test((await stack.mailctl('spam', 'stats')).stdout), { timeoutMs: 15_000, description: 'both zones in use' });
    corpusDir = await mkdtemp(join(tmpdir(), 'spam-corpus-'));
  });
  afterAll(async () => {
    await stack?.stop();
    if (corpusDir) await rm(corpusDir, { recursive: true, force: true });
  });

  it('delivers mail from an unlisted client with X-Spam-Status: No, and junks mail from a listed one', async () => {
    await send(stack.smtpPort, '127.0.0.1', 'clean');
    await send(stack.smtpPort, '127.0.0.3', 'listed');
    const messages = await waitFor(
      async () => {
        const found = await maildrop(stack.pop3Port, 'bob@example.test', 'hungry');
        return found.length === 2 && found;
      },
      { timeoutMs: 20_000, description: 'both messages in bob’s maildrop' },
    );
    const clean = messages.find((m) => /^Subject: clean$/m.test(m)) ?? '';
    const listed = messages.find((m) => /^Subject: listed$/m.test(m)) ?? '';
    expect(clean).toMatch(/^X-Spam-Status: No, score=0\.0 required=5\.0 tests=none\r$/m);
    expect(clean).toMatch(/^Authentication-Results: mx\.example\.test;/m);
    expect(listed).toMatch(/^X-Spam-Status: Yes, score=9\.0 required=5\.0 tests=RCVD_IN_JUNK_EXAMPLE_TEST\r$/m);
    expect(listed).toMatch(/^X-Spam-Flag: YES\r$/m);
  });

  it('refuses a client a DNSBL lists above the reject score during the session, 554 naming the zone', async () => {
    const refused = await send(stack.smtpPort, '127.0.0.2', 'refused').then(
      () => undefined,
      (error: { responseCode?: number; response?: string }) => error,
    );
    expect(refused).toMatchObject({ responseCode: 554, response: expect.stringMatching(/^554 5\.7\.1 Service unavailable; client \[127\.0\.0\.2\] blocked using bl\.example\.test/) });
  });

  it('trains the classifier with mailctl spam train and reports it with mailctl spam stats', async () => {
    const corpus = buildCorpus(3, 11);
    await writeFile(join(corpusDir, 'spam.mbox'), corpus.spam.map((m) => `From spammer Sat Nov 21 10:00:00 2026\n${m.raw.toString('latin1')}\n`).join(''));
    const spam = await stack.mailctl('spam', 'train', '--spam', join(corpusDir, 'spam.mbox'));
    expect(spam).toMatchObject({ code: 0, stdout: expect.stringMatching(/^learned 3, relearned 0, already known 0, unusable 0, refused 0 as spam/) });
    await writeFile(join(corpusDir, 'ham.eml'), corpus.ham[0]?.raw ?? '');
    expect((await stack.mailctl('spam', 'train', '--ham', join(corpusDir, 'ham.eml'))).stdout).toMatch(/^learned 1,/);
    expect((await stack.mailctl('spam', 'train', '--ham', join(corpusDir, 'ham.eml'))).stdout).toMatch(/already known 1,/);
    const stats = await stack.mailctl('spam', 'stats');
    expect(stats.stdout).toMatch(/classifier: inactive until it has learned 200 of each class/);
    expect(stats.stdout).toMatch(/spam messages: 3 /);
    expect(stats.stdout).toMatch(/ham messages: 1 /);
    expect(stats.stdout).toMatch(/junk\.example\.test\s+ip\s+9\s+in use/);
  });

  it("shows users' moves in mailctl spam stats: out of Junk as a false positive, into Junk as missed spam", async () => {
    const uidIn = async (folder: string, subject: string) => {
      const listing = (await stack.mailctl('message', 'list', 'bob@example.test', '--folder', folder)).stdout;
      return new RegExp(`^([0-9a-f]{32})\\s.*\\b${subject}\\b`, 'm').exec(listing)?.[1] ?? '';
    };
    const [clean, listed] = [await uidIn('INBOX', 'clean'), await uidIn('Junk', 'listed')];
    expect((await stack.mailctl('message', 'move', 'bob@example.test', clean, 'Junk')).code).toBe(0);
    expect((await stack.mailctl('message', 'move', 'bob@example.test', listed, 'INBOX')).code).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    const stats = await waitFor(
      async () => {
        const out = (await stack.mailctl('spam', 'stats', '--days', '2')).stdout;
        return /1 out of Junk \(false positives\), 1 into Junk \(missed spam\)/.test(out) && out;
      },
      { timeoutMs: 20_000, description: 'both moves counted' },
    );
    expect(stats).toMatch(/users' moves, last 2 days \(UTC\)/);
    expect(stats).toMatch(new RegExp(`^${today}\\s+1\\s+1$`, 'm'));
    expect((await stack.mailctl('spam', 'stats', '--days', '0')).code).toBe(2);
  });
});
