/**
 * imap-server against the running platform (every service a real process,
 * real NATS, PostgreSQL and Redis): mail delivered over SMTP is read over
 * IMAP byte for byte as POP3 reads it, \Seen set by STORE is there in the
 * next session, and an IDLE session hears a new delivery as EXISTS.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { countMessages, Pop3Client } from '@mail/pop3-client';
import { LineClient, waitFor, type MailStack } from '@mail/testing';
import { ImapTestClient } from './fixtures/imap-client';
import { imapStackForSuite } from './fixtures/imap-stack';

const bob = 'bob@example.test';

/** Delivers `body` to bob over SMTP (the seed's dialogue) and returns once smtp-ingress accepted it. */
async function deliver(stack: MailStack, body: string): Promise<void> {
  const smtp = await LineClient.open(stack.smtpPort);
  expect((await smtp.readSmtpReply()).code).toBe(220);
  for (const line of ['HELO crepes.fr', 'MAIL FROM:<alice@crepes.fr>', 'RCPT TO:<bob@example.test>']) expect((await smtp.smtp(line)).code).toBe(250);
  expect((await smtp.smtp('DATA')).code).toBe(354);
  smtp.write(`${body}.\r\n`);
  expect((await smtp.readSmtpReply()).code).toBe(250);
  await smtp.smtp('QUIT');
  smtp.close();
}

describe('imap-server', () => {
  const stack = imapStackForSuite({ env: { IMAP_AUTH_FAILURE_DELAY: '10ms' }, users: [bob] });
  let port: number;
  const first = 'Subject: ketchup\r\nFrom: Alice <alice@crepes.fr>\r\n\r\nDo you like ketchup?\r\n';

  beforeAll(async () => {
    port = stack.imapPort;
    await deliver(stack, first);
    await waitFor(async () => (await countMessages(stack.pop3Port, 'bob@example.test', 'hungry')) === 1, { description: 'the message in bob’s mailbox' });
  });

  it('greets with its capabilities and refuses what is not allowed before login', async () => {
    const { client, greeting } = await ImapTestClient.open(port);
    expect(greeting).toMatch(/^\* OK \[CAPABILITY IMAP4rev2 IMAP4rev1 AUTH=PLAIN .*IDLE.*\] mx\.example\.test IMAP4rev2 server ready$/);
    expect((await client.command('SELECT INBOX')).status).toBe('BAD SELECT not valid now: log in first');
    expect((await client.command('LOGIN bob@example.test wrong')).status).toBe('NO [AUTHENTICATIONFAILED] Invalid user name or password');
    expect((await client.command('FROB')).status).toBe('BAD Unknown command FROB');
    const logout = await client.command('LOGOUT');
    expect(logout.untagged[0]?.text).toMatch(/^\* BYE /);
    expect(logout.status).toBe('OK LOGOUT completed');
  });

  it('reads the delivered message byte for byte as POP3 does, and keeps \\Seen for the next session', async () => {
    const pop3 = await Pop3Client.login(stack.pop3Port, 'bob@example.test', 'hungry');
    const stored = (await pop3.retrieve(1)).content;
    await pop3.command('QUIT');

    const client = await stack.loggedIn(bob);
    const selected = await client.command('SELECT INBOX');
    expect(selected.status).toBe('OK [READ-WRITE] SELECT completed');
    const texts = selected.untagged.map((line) => line.text);
    expect(texts).toContain('* 1 EXISTS');
    expect(texts.some((t) => /^\* OK \[UIDVALIDITY \d+\]/.test(t))).toBe(true);
    expect(texts).toContain('* LIST () "/" INBOX');

    const fetched = await client.command('FETCH 1 (UID FLAGS RFC822.SIZE BODY.PEEK[])');
    expect(fetched.status).toBe('OK FETCH completed');
    const line = fetched.untagged[0];
    expect(line?.text).toMatch(new RegExp(`^\\* 1 FETCH \\(UID \\d+ FLAGS \\(\\) RFC822\\.SIZE ${stored.length} BODY\\[\\] \\{${stored.length}\\}\\)$`));
    expect(line?.literals[0]?.equals(stored)).toBe(true);
    expect(stored.subarray(stored.length - first.length).toString()).toBe(first);

    const parts = await client.command('FETCH 1 (ENVELOPE BODYSTRUCTURE BODY.PEEK[HEADER.FIELDS (SUBJECT)] BODY.PEEK[TEXT]<0.10>)');
    expect(parts.untagged[0]?.text).toContain('ENVELOPE (NIL "ketchup" (("Alice" NIL "alice" "crepes.fr"))');
    expect(parts.untagged[0]?.text).toContain('BODYSTRUCTURE ("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 22 1 NIL NIL NIL NIL)');
    expect(parts.untagged[0]?.literals.map(String)).toEqual(['Subject: ketchup\r\n\r\n', 'Do you lik']);

    const stored1 = await client.command('STORE 1 +FLAGS (\\Seen)');
    expect(stored1.untagged.map((l) => l.text)).toEqual([expect.stringMatching(/^\* 1 FETCH \(UID \d+ FLAGS \(\\Seen\)\)$/)]);
    await client.command('LOGOUT');

    const again = await stack.loggedIn(bob);
    await again.command('EXAMINE INBOX');
    expect((await again.command('FETCH 1 FLAGS')).untagged[0]?.text).toBe('* 1 FETCH (FLAGS (\\Seen))');
    expect((await again.command('STORE 1 -FLAGS (\\Seen)')).status).toBe('NO [READ-ONLY] The mailbox is read-only (EXAMINE)');
    await again.command('LOGOUT');
  });

  it('tells an IDLE session about a new delivery', async () => {
    const client = await stack.loggedIn(bob);
    const selected = await client.command('SELECT INBOX');
    const exists = Number(/^\* (\d+) EXISTS$/.exec(selected.untagged.map((l) => l.text).find((t) => t.endsWith('EXISTS')) ?? '')?.[1]);
    client.write('i1 IDLE\r\n');
    expect((await client.nextLine()).text).toBe('+ idling');
    await deliver(stack, 'Subject: pickles\r\n\r\nPickles too?\r\n');
    expect((await client.waitForLine(/EXISTS$/)).text).toBe(`* ${exists + 1} EXISTS`);
    client.write('DONE\r\n');
    expect((await client.waitForLine(/^i1 /)).text).toBe('i1 OK IDLE terminated');
    await client.command('LOGOUT');
  });
});
