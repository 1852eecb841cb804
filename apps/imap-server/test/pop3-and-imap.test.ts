/**
 * One mailbox, two doors (issue 18), against the running platform: a POP3
 * session and an IMAP session on the same INBOX agree on the messages, their
 * sizes and their octets; a message deleted over POP3 (DELE, then QUIT:
 * RFC 1939 §6, the UPDATE state) is expunged for an IMAP session that has
 * INBOX selected (`* n EXPUNGE` at its next NOOP, RFC 9051 §7.5.1), and one
 * expunged over IMAP is gone from the next POP3 STAT and UIDL, the others
 * keeping their unique-ids (RFC 1939 §7).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pop3Client } from '@mail/pop3-client';
import { startMailStack, type MailStack } from '@mail/testing';
import { ImapTestClient } from './fixtures/imap-client';
import { addUser, deliverAll, heardAtNoop, pop3Messages, type MailboxUser } from './fixtures/mailbox-users';

const user: MailboxUser = { address: 'bob@example.test', password: 'hungry' };

/** The `<n> <unique-id>` lines of a POP3 UIDL listing (RFC 1939 §7). */
async function uniqueIds(stack: MailStack): Promise<string[]> {
  const pop3 = await Pop3Client.login(stack.pop3Port, user.address, user.password);
  try {
    const { wire } = await pop3.multiline('UIDL');
    return wire
      .toString('latin1')
      .split('\r\n')
      .filter((line) => line !== '' && line !== '.')
      .map((line) => line.slice(line.indexOf(' ') + 1));
  } finally {
    await pop3.quit();
  }
}

async function popStat(stack: MailStack): Promise<{ count: number; octets: number }> {
  const pop3 = await Pop3Client.login(stack.pop3Port, user.address, user.password);
  try {
    return await pop3.stat();
  } finally {
    await pop3.quit();
  }
}

/** Every message of the selected mailbox over IMAP: its RFC822.SIZE and its octets. */
async function imapMessages(imap: ImapTestClient): Promise<{ size: number; octets: string }[]> {
  const fetched = await imap.command('FETCH 1:* (RFC822.SIZE BODY.PEEK[])');
  expect(fetched.status).toBe('OK FETCH completed');
  return fetched.untagged.map((line) => ({ size: Number(/RFC822\.SIZE (\d+)/.exec(line.text)?.[1]), octets: line.literals[0]?.toString('latin1') ?? '' }));
}

describe('POP3 and IMAP on one mailbox', () => {
  let stack: MailStack;
  let imap: ImapTestClient;

  beforeAll(async () => {
    stack = await startMailStack({ env: { IMAP_ALLOW_PLAINTEXT_AUTH: 'true' } });
    await addUser(stack, user);
    await deliverAll(stack, user, ['Subject: one\r\n\r\nFirst.\r\n', 'Subject: two\r\n\r\nSecond, longer.\r\n', 'Subject: three\r\n\r\nThird, the longest of all.\r\n']);
    imap = (await ImapTestClient.open(stack.imapPort as number)).client;
    expect((await imap.command(`LOGIN ${user.address} ${user.password}`)).status).toMatch(/^OK /);
  }, 180_000); // six services started on a shared machine
  afterAll(async () => {
    imap?.close();
    await stack?.stop();
  });

  it('agree on the count, the sizes and the octets of every message', async () => {
    const selected = await imap.command('SELECT INBOX');
    expect(selected.untagged.map((line) => line.text)).toContain('* 3 EXISTS');
    const stat = await popStat(stack);
    const overPop3 = (await pop3Messages(stack, user)).map((message) => message.toString('latin1'));
    const overImap = await imapMessages(imap);
    expect(stat.count).toBe(3);
    expect(overImap.map((m) => m.octets)).toEqual(overPop3);
    expect(overImap.map((m) => m.size)).toEqual(overPop3.map((m) => m.length));
    expect(overImap.reduce((sum, m) => sum + m.size, 0)).toBe(stat.octets);
  });

  it('a message deleted over POP3 (DELE, QUIT) is expunged for the IMAP session that has INBOX selected', async () => {
    const before = await pop3Messages(stack, user);
    const pop3 = await Pop3Client.login(stack.pop3Port, user.address, user.password);
    await pop3.command('DELE 1');
    await pop3.quit();
    expect(await heardAtNoop(imap, /^\* 1 EXPUNGE$/)).toEqual(['* 1 EXPUNGE']);
    expect((await imapMessages(imap)).map((m) => m.octets)).toEqual(before.slice(1).map((m) => m.toString('latin1')));
  });

  it('a message expunged over IMAP is gone from the next POP3 STAT and UIDL', async () => {
    const [gone, kept] = await uniqueIds(stack);
    const remaining = (await pop3Messages(stack, user))[1]?.toString('latin1');
    expect((await imap.command('STORE 1 +FLAGS.SILENT (\\Deleted)')).status).toMatch(/^OK /);
    const expunged = await imap.command('EXPUNGE');
    expect(expunged.status).toBe('OK EXPUNGE completed');
    expect(expunged.untagged.map((line) => line.text)).toEqual(['* 1 EXPUNGE']);
    expect(await popStat(stack)).toEqual({ count: 1, octets: remaining?.length });
    expect(await uniqueIds(stack)).toEqual([kept]);
    expect(gone).not.toBe(kept);
    expect((await pop3Messages(stack, user)).map((m) => m.toString('latin1'))).toEqual([remaining]);
  });
});
