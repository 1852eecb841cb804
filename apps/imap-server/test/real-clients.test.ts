/**
 * A real IMAP client against the running platform: Python's imaplib logs in,
 * lists the folders, selects INBOX, fetches a message delivered over SMTP
 * (compared with what POP3 returns for it), sets \Seen, searches, and logs
 * out. Fails under CI and is skipped elsewhere when python3 is missing.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countMessages, Pop3Client } from '@mail/pop3-client';
import { externalTools, LineClient, requireTools, startMailStack, waitFor, type MailStack } from '@mail/testing';

const run = promisify(execFile);

const script = `
import imaplib, json, sys
imap = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]), timeout=30)
out = {"capabilities": list(imap.capabilities)}
imap.login("bob@example.test", "hungry")
out["list"] = [line.decode() for line in imap.list()[1]]
typ, data = imap.select("INBOX")
out["exists"] = int(data[0])
typ, data = imap.fetch("1", "(BODY.PEEK[])")
out["body"] = data[0][1].hex()
imap.store("1", "+FLAGS", "\\\\Seen")
typ, data = imap.search(None, "SEEN")
out["seen"] = data[0].decode()
typ, data = imap.search(None, "UNSEEN")
out["unseen"] = data[0].decode()
imap.logout()
print(json.dumps(out))
`;

describe("Python's imaplib", () => {
  let stack: MailStack;

  beforeAll(async () => {
    stack = await startMailStack({ env: { IMAP_ALLOW_PLAINTEXT_AUTH: 'true' } });
    expect((await stack.mailctl('domain', 'add', 'example.test')).code).toBe(0);
    expect((await stack.mailctl('user', 'add', 'bob@example.test', '--password', 'hungry')).code).toBe(0);
    const smtp = await LineClient.open(stack.smtpPort);
    await smtp.readSmtpReply();
    for (const line of ['HELO crepes.fr', 'MAIL FROM:<alice@crepes.fr>', 'RCPT TO:<bob@example.test>', 'DATA']) await smtp.smtp(line);
    smtp.write('Subject: imaplib\r\n\r\nHello from the other door.\r\n.\r\n');
    expect((await smtp.readSmtpReply()).code).toBe(250);
    smtp.close();
    await waitFor(async () => (await countMessages(stack.pop3Port, 'bob@example.test', 'hungry')) === 1, { description: 'the message in bob’s mailbox' });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('logs in, lists, fetches the stored octets, stores \\Seen and searches', async (context) => {
    requireTools(context, externalTools.python3);
    const pop3 = await Pop3Client.login(stack.pop3Port, 'bob@example.test', 'hungry');
    const stored = (await pop3.retrieve(1)).content;
    await pop3.command('QUIT');
    const { stdout } = await run('python3', ['-c', script, String(stack.imapPort)], { timeout: 60_000 });
    const result = JSON.parse(stdout) as { capabilities: string[]; list: string[]; exists: number; body: string; seen: string; unseen: string };
    expect(result.capabilities).toEqual(expect.arrayContaining(['IMAP4REV2', 'IMAP4REV1', 'AUTH=PLAIN', 'IDLE', 'MOVE', 'UIDPLUS']));
    expect(result.list).toContain('(\\HasNoChildren) "/" INBOX');
    expect(result.list).toContain('(\\HasNoChildren \\Junk) "/" Junk');
    expect(result.exists).toBe(1);
    expect(Buffer.from(result.body, 'hex').equals(stored)).toBe(true);
    expect(result.seen).toBe('1');
    expect(result.unseen).toBe('');
  });
});
