/**
 * A folder one session has selected, deleted or renamed by another session
 * of the same user, against the running platform (mailbox-store and
 * imap-server real processes; real NATS, PostgreSQL and Redis). RFC 2180
 * §3.3: the session whose mailbox went away is told `* BYE` and its
 * connection is closed — at once in IDLE (mailbox-store's notice of the
 * DELETE or RENAME wakes it), at its next command otherwise (NOOP, FETCH,
 * STORE, SEARCH, EXPUNGE), and when the folder was recreated under its
 * name; a NO [NONEXISTENT] about another name stays a NO. A new session
 * works, and sees the folder under its new name. Renaming INBOX keeps
 * INBOX (RFC 9051 §6.3.6): a session that has it selected stays, told the
 * EXPUNGEs. Each test has its own user.
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from '@mail/testing';
import type { ImapTestClient, CommandResponse } from './fixtures/imap-client';
import { imapStackForSuite } from './fixtures/imap-stack';

/** The untagged lines of a response, as text. */
const lines = (response: CommandResponse) => response.untagged.map((line) => line.text);

/** RFC 2180 §3.3: what the server says to a session whose selected mailbox is gone. */
const gone = /^\* BYE The selected mailbox was deleted or renamed; select a mailbox again$/;

describe('imap-server: a selected folder deleted or renamed by another session', () => {
  const stack = imapStackForSuite({ services: ['mailbox-store', 'imap-server'] });

  /** A new user with the folder `folder` holding `messages` messages (APPEND with LITERAL+), and two sessions of it. */
  async function twoSessions(folder: string, messages: number): Promise<{ address: string; watcher: ImapTestClient; other: ImapTestClient }> {
    const { client: other, address } = await stack.newUser();
    if (folder !== 'INBOX') expect((await other.command(`CREATE ${folder}`)).status).toBe('OK CREATE completed');
    for (let i = 1; i <= messages; i++) {
      const content = `From: Bob <bob@example.test>\r\nSubject: message ${i}\r\n\r\nHello ${i}\r\n`;
      expect((await other.command(`APPEND ${folder} {${Buffer.byteLength(content)}+}\r\n${content}`)).status).toMatch(/^OK \[APPENDUID /);
    }
    const watcher = await stack.loggedIn(address);
    expect((await watcher.command(`SELECT ${folder}`)).status).toBe('OK [READ-WRITE] SELECT completed');
    return { address, watcher, other };
  }

  /** The server closed the connection after the BYE: nothing more was said. */
  async function closedAfterBye(client: ImapTestClient): Promise<void> {
    await waitFor(() => client.closed, { timeoutMs: 10_000, description: 'the server to close the connection after BYE' });
    await expect(client.nextLine(1_000)).rejects.toThrow('the connection closed');
  }

  /** IDLE begun: `+ idling` (RFC 2177). */
  async function idle(client: ImapTestClient): Promise<void> {
    client.write('i1 IDLE\r\n');
    expect((await client.nextLine()).text).toBe('+ idling');
  }

  it('tells an IDLE session at once that its folder was deleted, with BYE, and closes it; a new session works', async () => {
    const { address, watcher, other } = await twoSessions('Work', 2);
    await idle(watcher);
    const deletedAt = performance.now();
    expect((await other.command('DELETE Work')).status).toBe('OK DELETE completed');
    const bye = await watcher.waitForLine(/^\* BYE /, 10_000);
    console.info(`DELETE -> * BYE in IDLE: ${Math.round(bye.receivedAt - deletedAt)} ms`);
    expect(bye.text).toMatch(gone);
    // The notice is there within a second of the commit on a running platform (issue 18); the bound leaves room for a loaded machine
    expect(bye.receivedAt - deletedAt).toBeLessThan(5_000);
    await closedAfterBye(watcher);
    // The other session, and a new one, go on
    expect((await other.command('NOOP')).status).toBe('OK NOOP completed');
    const next = await stack.loggedIn(address);
    const listed = lines(await next.command('LIST "" *'));
    expect(listed.some((line) => line.endsWith(' INBOX'))).toBe(true);
    expect(listed.filter((line) => line.includes('Work'))).toEqual([]);
    expect((await next.command('SELECT INBOX')).status).toBe('OK [READ-WRITE] SELECT completed');
    expect((await next.command('LOGOUT')).status).toBe('OK LOGOUT completed');
  });

  it('tells an IDLE session at once that its folder was renamed; a new session finds it under the new name', async () => {
    const { address, watcher, other } = await twoSessions('Projects/Crepes', 2);
    await idle(watcher);
    // the superior is renamed: its inferior names follow (RFC 9051 §6.3.6), the selected one with them
    expect((await other.command('RENAME Projects Done')).status).toBe('OK RENAME completed');
    expect((await watcher.waitForLine(/^\* BYE /, 10_000)).text).toMatch(gone);
    await closedAfterBye(watcher);
    const next = await stack.loggedIn(address);
    expect(lines(await next.command('STATUS Done/Crepes (MESSAGES)'))).toEqual(['* STATUS Done/Crepes (MESSAGES 2)']);
    expect((await next.command('SELECT Projects/Crepes')).status).toBe('NO [NONEXISTENT] No such mailbox');
    expect((await next.command('SELECT Done/Crepes')).status).toBe('OK [READ-WRITE] SELECT completed');
    expect(lines(await next.command('UID SEARCH ALL'))).toEqual(['* SEARCH 1 2']);
  });

  it('says BYE at the next command of a session not in IDLE — NOOP, FETCH, STORE, SEARCH, EXPUNGE — never NO [NONEXISTENT] for the selected mailbox', async () => {
    for (const command of ['NOOP', 'FETCH 1 (FLAGS)', 'UID FETCH 1:* (FLAGS)', 'STORE 1 +FLAGS (\\Seen)', 'UID SEARCH ALL', 'EXPUNGE']) {
      const { watcher, other } = await twoSessions('Doomed', 1);
      expect((await other.command(command === 'NOOP' ? 'RENAME Doomed Kept' : 'DELETE Doomed')).status).toMatch(/^OK /);
      watcher.write(`t9 ${command}\r\n`);
      const answer = await watcher.nextLine();
      expect(answer.text, command).toMatch(gone);
      await closedAfterBye(watcher);
    }
  });

  it('keeps a NO [NONEXISTENT] about another name while the selected mailbox is there', async () => {
    const { watcher } = await twoSessions('Work', 1);
    expect((await watcher.command('STATUS Nowhere (MESSAGES)')).status).toBe('NO [NONEXISTENT] No such mailbox');
    expect((await watcher.command('DELETE Nowhere')).status).toBe('NO [NONEXISTENT] No such mailbox');
    expect(lines(await watcher.command('UID SEARCH ALL'))).toEqual(['* SEARCH 1']);
    expect((await watcher.command('LOGOUT')).status).toBe('OK LOGOUT completed');
  });

  it('says BYE when the folder was deleted and created again under its name (RFC 9051 §2.3.1.1: a new UIDVALIDITY)', async () => {
    const { watcher, other } = await twoSessions('Work', 1);
    expect((await other.command('DELETE Work')).status).toBe('OK DELETE completed');
    expect((await other.command('CREATE Work')).status).toBe('OK CREATE completed');
    watcher.write('t9 NOOP\r\n');
    expect((await watcher.nextLine()).text).toMatch(/^\* BYE /);
    await closedAfterBye(watcher);
  });

  it('keeps a session in INBOX when another renames INBOX: it hears the EXPUNGEs in IDLE and goes on (RFC 9051 §6.3.6)', async () => {
    const { watcher, other } = await twoSessions('INBOX', 2);
    await idle(watcher);
    expect((await other.command('RENAME INBOX "Old mail"')).status).toBe('OK RENAME completed');
    expect((await watcher.nextLine()).text).toBe('* 2 EXPUNGE');
    expect((await watcher.nextLine()).text).toBe('* 1 EXPUNGE');
    watcher.write('DONE\r\n');
    expect((await watcher.nextLine()).text).toBe('i1 OK IDLE terminated');
    expect((await watcher.command('NOOP')).status).toBe('OK NOOP completed');
    expect(lines(await watcher.command('STATUS "Old mail" (MESSAGES)'))).toEqual(['* STATUS "Old mail" (MESSAGES 2)']);
    // a message appended to INBOX now is INBOX's, and the session still has it selected
    const content = 'Subject: after\r\n\r\nStill here\r\n';
    const appended = await other.command(`APPEND INBOX {${Buffer.byteLength(content)}+}\r\n${content}`);
    expect(appended.status).toMatch(/^OK \[APPENDUID /);
    await waitFor(async () => lines(await watcher.command('NOOP')).includes('* 1 EXISTS'), { description: 'the new message in the INBOX session' });
    expect((await watcher.command('LOGOUT')).status).toBe('OK LOGOUT completed');
  });

  it('logged no failure for any of these sessions', () => {
    const output = stack.services.get('imap-server')?.output() ?? '';
    expect(output).toMatch(/"msg":"session closed"/);
    expect(output).not.toMatch(/"msg":"(session failed|command failed)"/);
  });
});
