/**
 * The commands that change a user's folders and add messages, against the
 * running platform (every service a real process; real NATS, PostgreSQL
 * and Redis): CREATE (nested, with USE), LIST, SUBSCRIBE and UNSUBSCRIBE as
 * LSUB and LIST (SUBSCRIBED) see them in a later session, RENAME (a tree,
 * the selected mailbox, INBOX), DELETE, APPEND (synchronizing and
 * non-synchronizing literals, a message streamed through the object store,
 * APPENDUID, flags and internal date kept, the octets read back byte for
 * byte) and what each refuses. Each test has its own user.
 */
import { Objm } from '@nats-io/obj';
import { describe, expect, it } from 'vitest';
import { Bus } from '@mail/bus';
import { parseDateTime } from '@mail/imap';
import { ImapTestClient, type CommandResponse } from './fixtures/imap-client';
import { imapStackForSuite } from './fixtures/imap-stack';

/** The untagged lines of a response, as text. */
const lines = (response: { untagged: { text: string }[] }) => response.untagged.map((line) => line.text);

/** Octets as a string, one character per octet: byte-exact comparisons with readable differences. */
const octets = (data: Buffer | undefined) => data?.toString('latin1');

/** A message of about `size` octets: CRLF lines, 8-bit text (UTF-8) in the body. */
function message(subject: string, size = 0): string {
  const head = `From: Bob <bob@example.test>\r\nSubject: ${subject}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nCrêpes et café.\r\n`;
  let body = '';
  for (let i = 0; head.length + body.length < size; i++) body += `Line ${i}: the quick brown fox jumps over the lazy dog, encore et toujours.\r\n`;
  return head + body;
}

/** APPEND with a synchronizing literal (RFC 9051 §7.5): the command line, then the message only after the server's `+`. */
async function appendSynchronizing(client: ImapTestClient, tag: string, args: string, content: string): Promise<CommandResponse> {
  client.write(`${tag} APPEND ${args} {${Buffer.byteLength(content)}}\r\n`);
  expect((await client.nextLine()).text).toMatch(/^\+ /);
  client.write(`${content}\r\n`);
  const untagged = [];
  for (;;) {
    const line = await client.nextLine();
    if (line.text.startsWith(`${tag} `)) return { untagged, status: line.text.slice(tag.length + 1) };
    untagged.push(line);
  }
}

/** APPEND with a non-synchronizing literal (RFC 7888 LITERAL+): all in one go. */
function appendNonSynchronizing(client: ImapTestClient, args: string, content: string): Promise<CommandResponse> {
  return client.command(`APPEND ${args} {${Buffer.byteLength(content)}+}\r\n${content}`);
}

/** The UIDVALIDITY and UID of an `OK [APPENDUID v u]`. */
function appendUid(status: string): { uidValidity: number; uid: number } {
  const match = /^OK \[APPENDUID (\d+) (\d+)\] APPEND completed$/.exec(status);
  expect(match, status).not.toBeNull();
  return { uidValidity: Number(match?.[1]), uid: Number(match?.[2]) };
}

describe('imap-server mailbox commands', () => {
  const stack = imapStackForSuite();

  it('creates folders, nested ones with their superior levels, and lists them', async () => {
    const { client } = await stack.newUser();
    expect((await client.command('CREATE Projects')).status).toBe('OK CREATE completed');
    expect((await client.command('CREATE Work/2024/Q1')).status).toBe('OK CREATE completed');
    // RFC 9051 §6.3.4: a trailing delimiter declares names to come under it; the name is created without it
    expect((await client.command('CREATE Later/')).status).toBe('OK CREATE completed');
    const listed = lines(await client.command('LIST "" *'));
    expect(listed).toEqual(
      expect.arrayContaining([
        '* LIST (\\HasNoChildren) "/" Projects',
        '* LIST (\\HasChildren) "/" Work',
        '* LIST (\\HasChildren) "/" Work/2024',
        '* LIST (\\HasNoChildren) "/" Work/2024/Q1',
        '* LIST (\\HasNoChildren) "/" Later',
      ]),
    );
    expect(lines(await client.command('LIST Work/ %'))).toEqual(['* LIST (\\HasChildren) "/" Work/2024']);

    expect((await client.command('CREATE Projects')).status).toBe('NO [ALREADYEXISTS] A mailbox with that name exists already');
    expect((await client.command('CREATE inbox')).status).toBe('NO [ALREADYEXISTS] A mailbox with that name exists already');
    expect((await client.command('CREATE "a//b"')).status).toBe('NO [CANNOT] No mailbox can have this name: a folder name has no empty level (`//` or a leading `/`)');
    await client.command('LOGOUT');
  });

  it('gives a new folder a special use (RFC 6154 CREATE-SPECIAL-USE) when no folder has it', async () => {
    const { client } = await stack.newUser();
    // Trash is every user's \Trash
    expect((await client.command('CREATE Bin (USE (\\Trash))')).status).toBe('NO [USEATTR] Another mailbox has that special use');
    expect((await client.command('CREATE Everything (USE (\\All))')).status).toBe('NO [USEATTR] \\All is a virtual mailbox this server does not keep');
    expect((await client.command('CREATE Odd (USE (\\Bogus))')).status).toBe('NO [USEATTR] Unknown special-use attribute');
    expect(lines(await client.command('LIST "" Bin'))).toEqual([]);

    expect((await client.command('DELETE Archive')).status).toBe('OK DELETE completed');
    expect((await client.command('CREATE "Old mail" (USE (\\Archive))')).status).toBe('OK CREATE completed');
    expect(lines(await client.command('LIST (SPECIAL-USE) "" *'))).toContain('* LIST (\\HasNoChildren \\Archive) "/" "Old mail"');
    await client.command('LOGOUT');
  });

  it('keeps subscriptions for LSUB and LIST (SUBSCRIBED), in later sessions too', async () => {
    const { client, address } = await stack.newUser();
    await client.command('CREATE Projects');
    await client.command('CREATE Hobbies');
    expect((await client.command('SUBSCRIBE Projects')).status).toBe('OK SUBSCRIBE completed');
    expect((await client.command('SUBSCRIBE Projects')).status).toBe('OK SUBSCRIBE completed');
    // RFC 9051 §6.3.7: a name with no folder may be subscribed; LIST shows it \NonExistent (RFC 5258 §3.1)
    expect((await client.command('SUBSCRIBE Ghost')).status).toBe('OK SUBSCRIBE completed');
    await client.command('LOGOUT');

    const again = await stack.loggedIn(address);
    // every user's folders are subscribed from the start
    const lsub = lines(await again.command('LSUB "" *'));
    expect(lsub).toEqual(expect.arrayContaining(['* LSUB () "/" INBOX', '* LSUB () "/" Projects']));
    expect(lsub).not.toContain('* LSUB () "/" Hobbies');
    const subscribed = lines(await again.command('LIST (SUBSCRIBED) "" *'));
    expect(subscribed).toContain('* LIST (\\HasNoChildren \\Subscribed) "/" Projects');
    expect(subscribed).toContain('* LIST (\\NonExistent \\Subscribed) "/" Ghost');
    expect(subscribed.some((line) => line.endsWith(' Hobbies'))).toBe(false);
    expect(lines(await again.command('LIST "" Projects RETURN (SUBSCRIBED)'))).toEqual(['* LIST (\\HasNoChildren \\Subscribed) "/" Projects']);

    expect((await again.command('UNSUBSCRIBE Projects')).status).toBe('OK UNSUBSCRIBE completed');
    // RFC 9051 §6.3.8: unsubscribing a name that is not subscribed is no error
    expect((await again.command('UNSUBSCRIBE Hobbies')).status).toBe('OK UNSUBSCRIBE completed');
    expect(lines(await again.command('LSUB "" *'))).not.toContain('* LSUB () "/" Projects');
    expect(lines(await again.command('LIST (SUBSCRIBED) "" *')).filter((line) => !/ (INBOX|Junk|Drafts|Sent|Trash|Archive)$/.test(line))).toEqual(['* LIST (\\NonExistent \\Subscribed) "/" Ghost']);
    await again.command('LOGOUT');
  });

  it('renames a folder with its inferior names, and refuses a name taken or a folder missing', async () => {
    const { client } = await stack.newUser();
    await client.command('CREATE Work/2024');
    await client.command('CREATE Projects');
    expect((await client.command('RENAME Work Job/Old')).status).toBe('OK RENAME completed');
    const listed = lines(await client.command('LIST "" *'));
    expect(listed).toEqual(expect.arrayContaining(['* LIST (\\HasChildren) "/" Job', '* LIST (\\HasChildren) "/" Job/Old', '* LIST (\\HasNoChildren) "/" Job/Old/2024']));
    expect(listed.some((line) => line.includes('Work'))).toBe(false);

    expect((await client.command('RENAME Projects Job')).status).toBe('NO [ALREADYEXISTS] A mailbox with that name exists already');
    expect((await client.command('RENAME Nowhere Somewhere')).status).toBe('NO [NONEXISTENT] No such mailbox');
    expect((await client.command('RENAME Junk Spam')).status).toBe('NO [CANNOT] This mailbox cannot be deleted or renamed');
    await client.command('LOGOUT');
  });

  it('deletes a folder, leaving its inferior names; INBOX and Junk stay', async () => {
    const { client } = await stack.newUser();
    await client.command('CREATE Work/2024');
    expect((await client.command('DELETE Work')).status).toBe('OK DELETE completed');
    const listed = lines(await client.command('LIST "" *'));
    expect(listed).toContain('* LIST (\\HasNoChildren) "/" Work/2024');
    expect(listed).not.toContain('* LIST (\\HasChildren) "/" Work');
    expect((await client.command('DELETE Work')).status).toBe('NO [NONEXISTENT] No such mailbox');
    expect((await client.command('DELETE inbox')).status).toBe('NO [CANNOT] This mailbox cannot be deleted or renamed');
    expect((await client.command('DELETE Junk')).status).toBe('NO [CANNOT] This mailbox cannot be deleted or renamed');
    await client.command('LOGOUT');
  });

  it('takes the session out of a selected mailbox that it deletes or renames (* OK [CLOSED])', async () => {
    const { client } = await stack.newUser();
    await client.command('CREATE Doomed');
    await client.command('CREATE Moving');
    await client.command('SELECT Doomed');
    const deleted = await client.command('DELETE Doomed');
    expect(lines(deleted)).toEqual(['* OK [CLOSED] The selected mailbox was deleted']);
    expect(deleted.status).toBe('OK DELETE completed');
    expect((await client.command('FETCH 1:* FLAGS')).status).toBe('BAD FETCH not valid now: no mailbox selected');

    await client.command('SELECT Moving');
    const renamed = await client.command('RENAME Moving Moved');
    expect(lines(renamed)).toEqual(['* OK [CLOSED] The selected mailbox was renamed']);
    expect((await client.command('SELECT Moved')).status).toBe('OK [READ-WRITE] SELECT completed');
    await client.command('LOGOUT');
  });

  it('advertises APPENDLIMIT (RFC 7889) and no MULTIAPPEND', async () => {
    const { client } = await stack.newUser();
    const capability = lines(await client.command('CAPABILITY'))[0] ?? '';
    expect(capability).toContain(' APPENDLIMIT=67108864');
    expect(capability).toContain(' LITERAL+');
    expect(capability).not.toContain('MULTIAPPEND');
    await client.command('LOGOUT');
  });

  it('appends with a synchronizing literal and with LITERAL+, keeping the octets, flags and internal date; APPENDUID names the message', async () => {
    const { client } = await stack.newUser();
    const first = message('synchronizing');
    const firstUid = appendUid((await appendSynchronizing(client, 'a1', 'Drafts (\\Draft $Label1) "17-Jul-1996 02:44:25 -0700"', first)).status);
    const second = message('non-synchronizing');
    const nonSynchronizing = await appendNonSynchronizing(client, 'Drafts (\\Seen)', second);
    const secondUid = appendUid(nonSynchronizing.status);
    expect(secondUid.uidValidity).toBe(firstUid.uidValidity);
    expect(secondUid.uid).toBeGreaterThan(firstUid.uid);

    const examined = lines(await client.command('EXAMINE Drafts'));
    expect(examined).toContain('* 2 EXISTS');
    expect(examined).toContain(`* OK [UIDVALIDITY ${firstUid.uidValidity}] UIDs valid`);
    const fetched = await client.command(`UID FETCH ${firstUid.uid},${secondUid.uid} (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])`);
    expect(fetched.status).toMatch(/^OK /);
    const [one, two] = fetched.untagged;
    expect(one?.text).toMatch(
      new RegExp(
        `^\\* 1 FETCH \\(UID ${firstUid.uid} FLAGS \\(\\\\Draft \\$Label1\\) INTERNALDATE "([^"]+)" RFC822\\.SIZE ${Buffer.byteLength(first)} BODY\\[\\] \\{${Buffer.byteLength(first)}\\}\\)$`,
      ),
    );
    const internalDate = /INTERNALDATE "([^"]+)"/.exec(one?.text ?? '')?.[1] ?? '';
    expect(parseDateTime(internalDate).epochMs).toBe(Date.parse('1996-07-17T02:44:25-07:00'));
    expect(octets(one?.literals[0])).toBe(octets(Buffer.from(first)));
    expect(two?.text).toMatch(new RegExp(`^\\* 2 FETCH \\(UID ${secondUid.uid} FLAGS \\(\\\\Seen\\) `));
    expect(octets(two?.literals[0])).toBe(octets(Buffer.from(second)));
    await client.command('LOGOUT');
  });

  /** Names of the APPEND messages left in the object store (imap-server deletes each once mailbox-store answered). */
  async function appendedBodies(): Promise<string[]> {
    const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const bus = await Bus.connect({ url: stack.env['NATS_URL'] ?? '', name: 'mailbox-commands-test', namespace: stack.env['NATS_NAMESPACE'] ?? '', log: silent });
    try {
      const bodies = await new Objm(bus.js).open(bus.ns.bodyBucket());
      return (await bodies.list()).filter((info) => !info.deleted && info.name.startsWith('imap-append-')).map((info) => info.name);
    } finally {
      await bus.close();
    }
  }

  it('streams a message larger than the inline size through the object store, and reads it back byte for byte', async () => {
    const { client } = await stack.newUser();
    const large = message('large', 3 * 1024 * 1024);
    const { uid } = appendUid((await appendSynchronizing(client, 'a1', 'INBOX', large)).status);
    const nonSynchronizing = appendUid((await appendNonSynchronizing(client, 'INBOX', large)).status);
    await client.command('EXAMINE INBOX');
    for (const appended of [uid, nonSynchronizing.uid]) {
      const fetched = await client.command(`UID FETCH ${appended} (RFC822.SIZE BODY.PEEK[])`, { timeoutMs: 60_000 });
      expect(fetched.untagged[0]?.text).toContain(`RFC822.SIZE ${Buffer.byteLength(large)} `);
      expect(octets(fetched.untagged[0]?.literals[0])).toBe(octets(Buffer.from(large)));
    }
    expect(await appendedBodies()).toEqual([]);
    await client.command('LOGOUT');
  }, 120_000);

  it('refuses a message over APPENDLIMIT before the continuation, a missing folder with TRYCREATE, and several messages; the session goes on', async () => {
    const { client } = await stack.newUser();
    // RFC 7889 §3: the client must not send the literal; the server answers instead of the `+`
    client.write(`a1 APPEND INBOX {${64 * 1024 * 1024 + 1}}\r\n`);
    expect((await client.nextLine()).text).toBe('a1 NO [TOOBIG] Literal too large (limit 67108864 octets)');
    // RFC 7888 §4: a non-synchronizing one is sent whole anyway; the server reads it, throws it away and answers
    const tooBigAnyway = await client.command(`APPEND INBOX {${64 * 1024 * 1024 + 1}+}\r\n${'x'.repeat(64 * 1024 * 1024 + 1)}`, { timeoutMs: 60_000 });
    expect(tooBigAnyway.status).toBe('NO [TOOBIG] Literal too large (limit 67108864 octets)');
    expect((await appendNonSynchronizing(client, 'Nowhere', message('lost'))).status).toBe('NO [TRYCREATE] No such mailbox');
    expect((await client.command('APPEND INBOX {5+}\r\nhello {5+}\r\nworld')).status).toBe('BAD One message per APPEND: MULTIAPPEND is not supported');
    expect((await client.command('NOOP')).status).toBe('OK NOOP completed');
    expect(lines(await client.command('STATUS INBOX (MESSAGES)'))).toEqual(['* STATUS INBOX (MESSAGES 0)']);
    await client.command('LOGOUT');
  });

  it('refuses a message over the user’s quota with OVERQUOTA (RFC 9208 §4.3)', async () => {
    const { client, address } = await stack.newUser();
    expect((await stack.mailctl('user', 'quota', address, '4K')).code).toBe(0);
    appendUid((await appendNonSynchronizing(client, 'INBOX', message('fits', 2048))).status);
    expect((await appendNonSynchronizing(client, 'INBOX', message('too much', 3072))).status).toBe('NO [OVERQUOTA] The mailbox is over its quota');
    expect(lines(await client.command('STATUS INBOX (MESSAGES)'))).toEqual(['* STATUS INBOX (MESSAGES 1)']);
    await client.command('LOGOUT');
  });

  it('tells the session that has the folder selected about the appended message (EXISTS before the tagged OK)', async () => {
    const { client } = await stack.newUser();
    expect(lines(await client.command('SELECT INBOX'))).toContain('* 0 EXISTS');
    const appended = await appendNonSynchronizing(client, 'INBOX', message('selected'));
    expect(lines(appended)).toEqual(['* 1 EXISTS']);
    const { uid } = appendUid(appended.status);
    expect(lines(await client.command('UID SEARCH ALL'))).toEqual([`* SEARCH ${uid}`]);
    await client.command('LOGOUT');
  });

  it('renames INBOX: its messages move to the new folder, INBOX stays, empty (RFC 9051 §6.3.6)', async () => {
    const { client } = await stack.newUser();
    for (const subject of ['one', 'two']) appendUid((await appendNonSynchronizing(client, 'INBOX', message(subject))).status);
    await client.command('SELECT INBOX');
    const renamed = await client.command('RENAME INBOX "Old mail"');
    expect(renamed.status).toBe('OK RENAME completed');
    expect(lines(renamed)).toEqual(['* 2 EXPUNGE', '* 1 EXPUNGE']);
    expect(lines(await client.command('STATUS INBOX (MESSAGES)'))).toEqual(['* STATUS INBOX (MESSAGES 0)']);
    expect(lines(await client.command('STATUS "Old mail" (MESSAGES)'))).toEqual(['* STATUS "Old mail" (MESSAGES 2)']);
    expect(lines(await client.command('LIST "" INBOX'))).toEqual(['* LIST (\\HasNoChildren) "/" INBOX']);
    await client.command('LOGOUT');
  });
});
