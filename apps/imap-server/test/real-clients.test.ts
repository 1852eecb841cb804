/**
 * Real IMAP clients against the running platform (every service a real
 * process; real NATS, PostgreSQL and Redis), each with its own user of one
 * stack: Python's imaplib, imapflow (npm), curl imap:// and mbsync (Debian
 * isync). Each logs in, lists the folders, reads a message delivered over
 * SMTP (byte for byte what POP3 RETR returns), flags, searches, moves to
 * Junk, appends and expunges; imapflow also hears a delivery in IDLE, and
 * mbsync syncs every folder with a Maildir both ways. A program that is not
 * installed fails the test under CI and skips it elsewhere.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow, type ExistsEvent } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countMessages, Pop3Client } from '@mail/pop3-client';
import { externalTools, requireTools, startMailStack, waitFor, type MailStack } from '@mail/testing';
import { ImapTestClient } from './fixtures/imap-client';
import { addUser, deliver, deliverAll, heardAtNoop, pop3Messages, type MailboxUser } from './fixtures/mailbox-users';
import { MbsyncMaildir, type MaildirMessage } from './fixtures/mbsync-maildir';

const run = promisify(execFile);
const fixtures = join(import.meta.dirname, 'fixtures');

/** The special-use folders every user has (RFC 6154 §2), as LIST shows them. */
const specialUse = { Junk: '\\Junk', Drafts: '\\Drafts', Sent: '\\Sent', Trash: '\\Trash', Archive: '\\Archive' };

/** Octets as a string, one character per octet: byte-exact comparisons with readable differences. */
const octets = (data: Buffer | undefined) => data?.toString('latin1');

/** A message as a mail reader would write it, CRLF line ends. */
const draft = (author: string, subject: string) => Buffer.from(`From: ${author}\r\nSubject: ${subject}\r\n\r\nNot finished yet.\r\n`);

describe('real IMAP clients', () => {
  let stack: MailStack;
  let port: number;

  beforeAll(async () => {
    stack = await startMailStack({ env: { IMAP_ALLOW_PLAINTEXT_AUTH: 'true' } });
    port = stack.imapPort as number;
  }, 180_000); // six services started on a shared machine
  afterAll(async () => {
    await stack?.stop();
  });

  describe("Python's imaplib", () => {
    const user: MailboxUser = { address: 'py@example.test', password: 'hungry' };
    let stored: Buffer[];

    beforeAll(async () => {
      await addUser(stack, user);
      await deliverAll(stack, user, ['From: alice@crepes.fr\r\nSubject: imaplib\r\n\r\nHello from the other door.\r\n', 'From: alice@crepes.fr\r\nSubject: second door\r\n\r\nAnd another.\r\n']);
      stored = await pop3Messages(stack, user);
    });

    it('logs in, lists, fetches, stores \\Seen, searches, moves to Junk, expunges and appends', async (context) => {
      requireTools(context, externalTools.python3);
      const { stdout } = await run('python3', [join(fixtures, 'imaplib-session.py'), String(port), user.address, user.password], { timeout: 60_000 });
      const result = JSON.parse(stdout) as Record<string, unknown>;
      const field = (key: string) => Buffer.from(String(result[key]), 'hex');
      expect(result['capabilities']).toEqual(expect.arrayContaining(['IMAP4REV2', 'IMAP4REV1', 'AUTH=PLAIN', 'IDLE', 'MOVE', 'UIDPLUS']));
      expect(result['list']).toContain('(\\HasNoChildren) "/" INBOX');
      for (const [name, use] of Object.entries(specialUse)) expect(result['list']).toContain(`(\\HasNoChildren ${use}) "/" ${name}`);
      expect(result['exists']).toBe(2);
      expect(octets(field('body'))).toBe(octets(stored[0]));
      expect(result).toMatchObject({ seen: '1', unseen: '2', subject: '2', from: '1 2' });
      expect(result['moveCopyuid']).toEqual([expect.stringMatching(new RegExp(`^\\d+ ${String(result['uid'])} \\d+$`))]);
      expect(result).toMatchObject({ moveExpunged: ['1'], inboxAfterMove: 1, junkExists: 1 });
      expect(result['junkFlags']).toMatch(/FLAGS \(\\Seen\)/);
      expect(octets(field('junkBody'))).toBe(octets(stored[0]));
      expect(result).toMatchObject({ expunged: ['1'], junkAfterExpunge: 0 });
      expect(result['refused']).toBeUndefined();
      expect(result['append']).toMatch(/^\[APPENDUID \d+ \d+\] /);
      expect(result['draftFlags']).toMatch(/FLAGS \(\\Draft\)/);
      expect(octets(field('draftBody'))).toBe(octets(field('draftSent')));
      // POP3 reads the same INBOX: only the second message is left
      expect((await pop3Messages(stack, user)).map(octets)).toEqual([octets(stored[1])]);
    });
  });

  describe('imapflow', () => {
    const user: MailboxUser = { address: 'flow@example.test', password: 'hungry' };
    const crepes = 'Subject: crepes\r\nFrom: Alice <alice@crepes.fr>\r\nTo: flow@example.test\r\n\r\nWith ketchup?\r\n';
    const waffles = 'Subject: waffles\r\nFrom: Carol <carol@gaufres.be>\r\nTo: flow@example.test\r\n\r\nWith cream.\r\n';
    let stored: Buffer[];
    let client: ImapFlow;
    let uids: number[];

    const connect = async (options: { idle?: boolean } = {}) => {
      const flow = new ImapFlow({
        host: '127.0.0.1',
        port,
        secure: false,
        doSTARTTLS: false,
        auth: { user: user.address, pass: user.password },
        logger: false,
        disableAutoIdle: !options.idle,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      });
      await flow.connect();
      return flow;
    };

    beforeAll(async () => {
      await addUser(stack, user);
      await deliverAll(stack, user, [crepes, waffles]);
      stored = await pop3Messages(stack, user);
      client = await connect();
    });
    afterAll(async () => {
      await client?.logout();
    });

    it('lists the folders with their special use and opens INBOX', async () => {
      const folders = await client.list();
      expect(folders.map((f) => f.path).sort()).toEqual(['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent', 'Trash']);
      const announced = folders.filter((f) => f.specialUseSource === 'extension');
      expect(Object.fromEntries(announced.map((f) => [f.path, f.specialUse]))).toEqual(specialUse);
      const inbox = await client.mailboxOpen('INBOX');
      expect(inbox.exists).toBe(2);
      expect(inbox.uidValidity).toBeGreaterThan(0n);
      uids = (await client.fetchAll('1:*', { uid: true })).map((m) => m.uid);
      expect(uids).toHaveLength(2);
      expect(inbox.uidNext).toBeGreaterThan(Math.max(...uids));
    });

    it('fetches envelope, body structure and the source byte for byte as POP3 RETR', async () => {
      const messages = await client.fetchAll('1:*', { uid: true, envelope: true, bodyStructure: true, source: true, size: true, flags: true });
      expect(messages.map((m) => octets(m.source))).toEqual(stored.map(octets));
      expect(messages.map((m) => m.size)).toEqual(stored.map((s) => s.length));
      const [first] = messages;
      expect(first?.envelope).toMatchObject({ subject: 'crepes', from: [{ name: 'Alice', address: 'alice@crepes.fr' }], to: [{ address: 'flow@example.test' }] });
      expect(first?.bodyStructure).toMatchObject({ type: 'text/plain', parameters: { charset: 'us-ascii' }, encoding: '7bit', size: 'With ketchup?\r\n'.length });
      expect([...(first?.flags ?? [])]).toEqual([]);
    });

    it('flags and searches by subject, sender and \\Seen', async () => {
      const [crepesUid, wafflesUid] = uids as [number, number];
      expect(await client.messageFlagsAdd(String(crepesUid), ['\\Flagged', '\\Seen'], { uid: true })).toBe(true);
      const flagged = await client.fetchOne(String(crepesUid), { flags: true }, { uid: true });
      expect(flagged && [...(flagged.flags ?? [])].sort()).toEqual(['\\Flagged', '\\Seen']);
      expect(await client.search({ subject: 'waffles' }, { uid: true })).toEqual([wafflesUid]);
      expect(await client.search({ from: 'carol@gaufres.be' }, { uid: true })).toEqual([wafflesUid]);
      expect(await client.search({ seen: true }, { uid: true })).toEqual([crepesUid]);
      expect(await client.search({ seen: false }, { uid: true })).toEqual([wafflesUid]);
      expect(await client.search({ flagged: true }, { uid: true })).toEqual([crepesUid]);
    });

    it('moves a message to Junk: Junk has it with its flags, INBOX (and POP3) no longer', async () => {
      const crepesUid = uids[0] as number;
      const moved = await client.messageMove(String(crepesUid), 'Junk', { uid: true });
      expect(moved).toMatchObject({ path: 'INBOX', destination: 'Junk' });
      const junkUid = moved && moved.uidMap?.get(crepesUid);
      expect(junkUid).toBeGreaterThan(0);
      expect(client.mailbox && client.mailbox.exists).toBe(1);
      expect((await pop3Messages(stack, user)).map(octets)).toEqual([octets(stored[1])]);
      await client.mailboxOpen('Junk');
      const inJunk = await client.fetchOne(String(junkUid), { source: true, flags: true }, { uid: true });
      expect(inJunk && octets(inJunk.source)).toBe(octets(stored[0]));
      expect(inJunk && [...(inJunk.flags ?? [])].sort()).toEqual(['\\Flagged', '\\Seen']);
    });

    it('appends to Drafts with flags and reads it back', async () => {
      const content = draft('flow@example.test', 'draft from imapflow');
      const appended = await client.append('Drafts', content, ['\\Draft', '\\Seen']);
      expect(appended).toMatchObject({ destination: 'Drafts', uid: expect.any(Number) });
      await client.mailboxOpen('Drafts');
      const back = await client.fetchOne(String(appended && appended.uid), { source: true, flags: true }, { uid: true });
      expect(back && octets(back.source)).toBe(octets(content));
      expect(back && [...(back.flags ?? [])].sort()).toEqual(['\\Draft', '\\Seen']);
    });

    it('deletes (expunges) a message: gone for IMAP and POP3', async () => {
      await client.mailboxOpen('INBOX');
      expect(await client.messageDelete(String(uids[1]), { uid: true })).toBe(true);
      expect(client.mailbox && client.mailbox.exists).toBe(0);
      expect(await client.search({ all: true }, { uid: true })).toEqual([]);
      expect(await countMessages(stack.pop3Port, user.address, user.password)).toBe(0);
    });

    it('hears a delivery over SMTP while in IDLE (exists event)', async () => {
      const idler = await connect({ idle: true });
      try {
        await idler.mailboxOpen('INBOX');
        const events: ExistsEvent[] = [];
        idler.on('exists', (event: ExistsEvent) => events.push(event));
        const idling = idler.idle();
        await waitFor(() => idler.idling, { description: 'imapflow in IDLE' });
        await deliver(stack, user.address, 'Subject: pancakes\r\n\r\nStill hungry?\r\n');
        await waitFor(() => events.length > 0, { description: 'the exists event' });
        expect(events[0]).toEqual({ path: 'INBOX', count: 1, prevCount: 0 });
        await idler.noop(); // ends IDLE (DONE)
        await idling;
      } finally {
        await idler.logout();
      }
    });
  });

  describe('curl imap://', () => {
    const user: MailboxUser = { address: 'curl@example.test', password: 'hungry' };
    let stored: Buffer[];
    let scratch: string;
    const curl = async (path: string, ...args: string[]) =>
      (await run('curl', ['-sS', '--max-time', '20', '-u', `${user.address}:${user.password}`, ...args, `imap://127.0.0.1:${port}/${path}`], { encoding: 'buffer', timeout: 30_000 })).stdout;
    const searched = async (folder: string, query: string) => (await curl(folder, '-X', `UID SEARCH ${query}`)).toString().trim();

    beforeAll(async () => {
      scratch = await mkdtemp(join(tmpdir(), 'imap-curl-'));
      await addUser(stack, user);
      await deliverAll(stack, user, ['Subject: curl one\r\n\r\nFirst.\r\n', 'Subject: curl two\r\n\r\nSecond.\r\n', 'Subject: curl three\r\n\r\nThird.\r\n']);
      // The first one deleted over POP3: UIDs 2 and 3 are now messages 1 and 2, so a UID taken for a sequence number shows
      const pop3 = await Pop3Client.login(stack.pop3Port, user.address, user.password);
      await pop3.command('DELE 1');
      await pop3.quit();
      stored = await pop3Messages(stack, user);
    });
    afterAll(async () => {
      if (scratch) await rm(scratch, { recursive: true, force: true });
    });

    it('lists the folders', async (context) => {
      requireTools(context, externalTools.curl);
      const list = (await curl('')).toString();
      expect(list).toContain('* LIST (\\HasNoChildren) "/" INBOX\r\n');
      for (const [name, use] of Object.entries(specialUse)) expect(list).toContain(`* LIST (\\HasNoChildren ${use}) "/" ${name}\r\n`);
    });

    it('searches, fetches by UID byte for byte, flags, moves to Junk and expunges', async (context) => {
      requireTools(context, externalTools.curl);
      expect(await searched('INBOX', 'ALL')).toBe('* SEARCH 2 3');
      expect(await searched('INBOX', 'SUBJECT "curl three"')).toBe('* SEARCH 3');
      expect(octets(await curl('INBOX;UID=3'))).toBe(octets(stored[1]));
      expect(octets(await curl('INBOX;UID=2'))).toBe(octets(stored[0]));
      await curl('INBOX', '-X', 'UID STORE 3 +FLAGS (\\Flagged)');
      expect(await searched('INBOX', 'FLAGGED')).toBe('* SEARCH 3');
      await curl('INBOX', '-X', 'UID MOVE 3 Junk');
      expect(await searched('INBOX', 'ALL')).toBe('* SEARCH 2');
      expect(await searched('Junk', 'FLAGGED')).toBe('* SEARCH 1');
      expect(octets(await curl('Junk;UID=1'))).toBe(octets(stored[1]));
      await curl('Junk', '-X', 'UID STORE 1 +FLAGS (\\Deleted)');
      await curl('Junk', '-X', 'EXPUNGE');
      expect(await searched('Junk', 'ALL')).toBe('* SEARCH');
      expect((await pop3Messages(stack, user)).map(octets)).toEqual([octets(stored[0])]);
    });

    it('uploads to Drafts (APPEND) and fetches it back', async (context) => {
      requireTools(context, externalTools.curl);
      const file = join(scratch, 'draft.eml');
      await writeFile(file, draft('curl@example.test', 'draft from curl'));
      await curl('Drafts', '-T', file);
      expect(await searched('Drafts', 'SUBJECT "draft from curl"')).toBe('* SEARCH 1');
      expect(octets(await curl('Drafts;UID=1'))).toBe(octets(await readFile(file)));
    });
  });

  describe('mbsync (isync)', () => {
    const user: MailboxUser = { address: 'sync@example.test', password: 'hungry' };
    /** mbsync keeps Unix line ends in the Maildir (and sends CRLF again). */
    const unixLines = (message: Buffer | undefined) => octets(message)?.replace(/\r\n/g, '\n');
    /** The header mbsync adds to each copy it makes, to find it again (isync's X-TUID); the rest is the message. */
    const withoutTuid = (message: string | undefined) => message?.replace(/^X-TUID: [^\n]*\n/m, '');
    let stored: Buffer[];
    let maildir: MbsyncMaildir;
    let imap: ImapTestClient;

    beforeAll(async () => {
      await addUser(stack, user);
      await deliverAll(stack, user, ['Subject: sync one\r\n\r\nStays in INBOX.\r\n', 'Subject: sync two\r\n\r\nGoes to Junk.\r\n']);
      stored = await pop3Messages(stack, user);
      imap = (await ImapTestClient.open(port)).client;
      expect((await imap.command(`LOGIN ${user.address} ${user.password}`)).status).toMatch(/^OK /);
      expect((await imap.command('SELECT INBOX')).status).toMatch(/^OK /);
      expect((await imap.command('MOVE 2 Junk')).status).toBe('OK MOVE completed');
      maildir = await MbsyncMaildir.create(await mkdtemp(join(tmpdir(), 'imap-mbsync-')), port, user);
    });
    afterAll(async () => {
      imap?.close();
      await maildir?.remove();
    });

    it('pulls every folder and every message', async (context) => {
      requireTools(context, externalTools.mbsync);
      await maildir.sync();
      expect(await maildir.folders()).toEqual(['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent', 'Trash']);
      expect((await maildir.messages('INBOX')).map((m) => withoutTuid(octets(m.content)))).toEqual([unixLines(stored[0])]);
      expect((await maildir.messages('Junk')).map((m) => withoutTuid(octets(m.content)))).toEqual([unixLines(stored[1])]);
      for (const folder of ['Archive', 'Drafts', 'Sent', 'Trash']) expect(await maildir.messages(folder)).toEqual([]);
    });

    it('pushes a flag set in the Maildir (\\Seen), then a deletion (T, expunged on both sides)', async (context) => {
      requireTools(context, externalTools.mbsync);
      const [message] = await maildir.messages('INBOX');
      await maildir.setFlags(message as MaildirMessage, 'S');
      await maildir.sync();
      // RFC 9051 §7.5.2: the change reaches the other session as an unsolicited FETCH
      expect(await heardAtNoop(imap, /FETCH/)).toEqual([expect.stringMatching(/^\* 1 FETCH \(UID \d+ FLAGS \(\\Seen\)\)$/)]);
      expect((await imap.command('FETCH 1 FLAGS')).untagged.map((l) => l.text)).toEqual(['* 1 FETCH (FLAGS (\\Seen))']);

      const [seen] = await maildir.messages('INBOX');
      expect(seen?.flags).toBe('S');
      await maildir.setFlags(seen as MaildirMessage, 'ST');
      await maildir.sync();
      expect(await maildir.messages('INBOX')).toEqual([]);
      expect(await heardAtNoop(imap, /EXPUNGE/)).toEqual(['* 1 EXPUNGE']);
      expect(await countMessages(stack.pop3Port, user.address, user.password)).toBe(0);
    });

    it('pushes a message written into the Maildir (APPEND), with its flags', async (context) => {
      requireTools(context, externalTools.mbsync);
      const content = draft('sync@example.test', 'draft from mbsync');
      await maildir.add('Drafts', Buffer.from(unixLines(content) ?? '', 'latin1'), 'D');
      await maildir.sync();
      expect((await imap.command('EXAMINE Drafts')).untagged.map((l) => l.text)).toContain('* 1 EXISTS');
      const fetched = await imap.command('FETCH 1 (FLAGS BODY.PEEK[])');
      expect(fetched.untagged[0]?.text).toMatch(/^\* 1 FETCH \(FLAGS \(\\Draft\) BODY\[\] \{\d+\}\)$/);
      // Sent back with CRLF line ends, as mbsync's copy (its X-TUID header aside)
      expect(withoutTuid(octets(fetched.untagged[0]?.literals[0]))).toBe(octets(content));
    });

    it('creates on the server a folder made in the Maildir (Create Both: CREATE, then APPEND)', async (context) => {
      requireTools(context, externalTools.mbsync);
      const content = draft('sync@example.test', 'galettes');
      await maildir.addFolder('Recipes');
      await maildir.add('Recipes', Buffer.from(unixLines(content) ?? '', 'latin1'), 'S');
      await maildir.sync();
      expect((await imap.command('LIST "" Recipes')).untagged.map((l) => l.text)).toEqual([expect.stringMatching(/^\* LIST \([^)]*\) "\/" Recipes$/)]);
      expect((await imap.command('STATUS Recipes (MESSAGES UNSEEN)')).untagged.map((l) => l.text)).toEqual(['* STATUS Recipes (MESSAGES 1 UNSEEN 0)']);
    });
  });
});
