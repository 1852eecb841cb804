/**
 * The commands that change a user's folders and add messages, against the
 * running platform (every service a real process; real NATS, PostgreSQL
 * and Redis): CREATE (nested, with USE), LIST, SUBSCRIBE and UNSUBSCRIBE as
 * LSUB and LIST (SUBSCRIBED) see them in a later session, RENAME (a tree,
 * the selected mailbox), DELETE, and what each refuses. Each test has its
 * own user.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailStack, type MailStack } from '@mail/testing';
import { ImapTestClient } from './fixtures/imap-client';

/** The untagged lines of a response, as text. */
const lines = (response: { untagged: { text: string }[] }) => response.untagged.map((line) => line.text);

describe('imap-server mailbox commands', () => {
  let stack: MailStack;
  let port: number;
  let users = 0;

  /** A new user of example.test, logged in. */
  async function newUser(): Promise<ImapTestClient> {
    const address = `user${++users}@example.test`;
    expect((await stack.mailctl('user', 'add', address, '--password', 'hungry')).code).toBe(0);
    return loggedIn(address);
  }

  async function loggedIn(address: string): Promise<ImapTestClient> {
    const { client } = await ImapTestClient.open(port);
    expect((await client.command(`LOGIN ${address} hungry`)).status).toMatch(/^OK /);
    return client;
  }

  beforeAll(async () => {
    stack = await startMailStack({ env: { IMAP_ALLOW_PLAINTEXT_AUTH: 'true' } });
    port = stack.imapPort as number;
    expect((await stack.mailctl('domain', 'add', 'example.test')).code).toBe(0);
  }, 180_000); // six services started on a shared machine
  afterAll(async () => {
    await stack?.stop();
  });

  it('creates folders, nested ones with their superior levels, and lists them', async () => {
    const client = await newUser();
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
    expect((await client.command('CREATE "a//b"')).status).toBe('NO [CANNOT] Not a valid mailbox name');
    await client.command('LOGOUT');
  });

  it('gives a new folder a special use (RFC 6154 CREATE-SPECIAL-USE) when no folder has it', async () => {
    const client = await newUser();
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
    const client = await newUser();
    await client.command('CREATE Projects');
    await client.command('CREATE Hobbies');
    expect((await client.command('SUBSCRIBE Projects')).status).toBe('OK SUBSCRIBE completed');
    expect((await client.command('SUBSCRIBE Projects')).status).toBe('OK SUBSCRIBE completed');
    // RFC 9051 §6.3.7: a name with no folder may be subscribed; LIST shows it \NonExistent (RFC 5258 §3.1)
    expect((await client.command('SUBSCRIBE Ghost')).status).toBe('OK SUBSCRIBE completed');
    await client.command('LOGOUT');

    const again = await loggedIn(`user${users}@example.test`);
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
    const client = await newUser();
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
    const client = await newUser();
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
    const client = await newUser();
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
});
