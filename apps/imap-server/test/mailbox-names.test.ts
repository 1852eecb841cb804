/**
 * Clear answers for mailbox names no folder can have, and APPENDs refused
 * before their `+`, against the running platform (every service a real
 * process; real NATS, PostgreSQL and Redis). A name the contract's
 * FolderName refuses (an empty level, a leading `/`, empty, over 500
 * characters, a wildcard or control character) is `NO [NONEXISTENT]` where
 * a mailbox must exist and `NO [CANNOT]` where it would be created or
 * subscribed, naming the rule — never `NO [UNAVAILABLE]`, which is for the
 * server's own failures — and the session goes on. A synchronizing APPEND
 * that cannot succeed (not logged in, a folder missing or impossible, a
 * second message, a bad flag) gets its tagged answer instead of the `+`
 * (RFC 9051 §2.2.1), and the client sends nothing more of it. Other
 * refusals of mailbox-store are what they mean: a search string past the
 * contract is `NO [LIMIT]`, an account removed during its session `BYE`.
 * Each test has its own user.
 */
import { describe, expect, it } from 'vitest';
import { ImapTestClient, type CommandResponse } from './fixtures/imap-client';
import { imapStackForSuite } from './fixtures/imap-stack';

const EMPTY_LEVEL = 'a folder name has no empty level (`//` or a leading `/`)';
const CHARACTERS = 'a folder name has no control characters and no wildcard (* %)';
const NOT_EMPTY = 'a folder name is not empty';
const TOO_LONG = 'a folder name has at most 500 characters';

/**
 * Names no folder can have, as a command argument (quoted, or a LITERAL+
 * literal for what a quoted string cannot carry), with the rule each
 * breaks. A control character reaches the name only in UTF-8 (IMAP4rev2):
 * to an IMAP4rev1 client it is no modified UTF-7 (RFC 3501 §5.1.3), BAD.
 */
const IMPOSSIBLE_NAMES: readonly (readonly [argument: string, rule: string])[] = [
  ['"a//b"', EMPTY_LEVEL],
  ['"/Top"', EMPTY_LEVEL],
  ['""', NOT_EMPTY],
  ['"Work*"', CHARACTERS],
  ['"50%"', CHARACTERS],
  [`{501+}\r\n${'x'.repeat(501)}`, TOO_LONG],
  ['{8+}\r\ntab\there', CHARACTERS],
];

/** The line after `line` is sent: a tagged answer instead of the `+` (or the `+`). */
async function answerBeforeLiteral(client: ImapTestClient, tag: string, line: string): Promise<string> {
  client.write(`${tag} ${line}\r\n`);
  return (await client.nextLine()).text;
}

describe('imap-server mailbox names and APPEND before the continuation', () => {
  const stack = imapStackForSuite();

  it('answers SELECT, EXAMINE, STATUS and GETQUOTAROOT of a name no mailbox can have NO [NONEXISTENT] naming the rule; the session goes on', async () => {
    const { client, address } = await stack.newUser();
    expect((await client.command('SELECT {8+}\r\ntab\there')).status).toBe('BAD Mailbox name "tab\\there" is not valid modified UTF-7');
    // another session of the user (each session has its own error budget, IMAP_MAX_ERRORS)
    const status = await stack.loggedIn(address);
    for (const session of [client, status]) expect((await session.command('ENABLE IMAP4rev2')).status).toBe('OK ENABLE completed');
    for (const [name, rule] of IMPOSSIBLE_NAMES) {
      const refusal = `NO [NONEXISTENT] No mailbox can have this name: ${rule}`;
      expect((await client.command(`SELECT ${name}`)).status, name).toBe(refusal);
      expect((await status.command(`STATUS ${name} (MESSAGES)`)).status, name).toBe(refusal);
    }
    status.close();
    expect((await client.command('EXAMINE "a//b"')).status).toBe(`NO [NONEXISTENT] No mailbox can have this name: ${EMPTY_LEVEL}`);
    expect((await client.command('GETQUOTAROOT "a//b"')).status).toBe(`NO [NONEXISTENT] No mailbox can have this name: ${EMPTY_LEVEL}`);
    // a name a folder can have but none has, and one that exists
    expect((await client.command('GETQUOTAROOT Nowhere')).status).toBe('NO [NONEXISTENT] No such mailbox');
    expect((await client.command('STATUS Nowhere (MESSAGES)')).status).toBe('NO [NONEXISTENT] No such mailbox');
    const root = await client.command('GETQUOTAROOT INBOX');
    expect(root.status).toBe('OK GETQUOTAROOT completed');
    expect(root.untagged[0]?.text).toMatch(/^\* QUOTAROOT INBOX/);
    // still serving: the mailbox opens, the failed SELECTs left nothing selected
    expect((await client.command('SELECT INBOX')).status).toBe('OK [READ-WRITE] SELECT completed');
    client.close();
  });

  it('leaves no mailbox selected after a SELECT of a name none can have (RFC 9051 §6.3.2), and refuses such a COPY or MOVE target NONEXISTENT rather than TRYCREATE', async () => {
    const { client } = await stack.newUser();
    expect((await client.command('ENABLE IMAP4rev2')).status).toBe('OK ENABLE completed');
    expect((await client.command('APPEND INBOX {24+}\r\nSubject: kept\r\n\r\nhello\r\n')).status).toMatch(/^OK \[APPENDUID /);
    expect((await client.command('SELECT INBOX')).untagged.some((line) => line.text === '* 1 EXISTS')).toBe(true);
    const reselect = await client.command('SELECT "a//b"');
    expect(reselect.untagged.map((line) => line.text)).toEqual(['* OK [CLOSED] Previous mailbox closed']);
    expect(reselect.status).toBe(`NO [NONEXISTENT] No mailbox can have this name: ${EMPTY_LEVEL}`);
    expect((await client.command('FETCH 1 FLAGS')).status).toBe('BAD FETCH not valid now: no mailbox selected');
    expect((await client.command('SELECT INBOX')).status).toBe('OK [READ-WRITE] SELECT completed');
    for (const [name, rule] of IMPOSSIBLE_NAMES) {
      const refusal = `NO [NONEXISTENT] No mailbox can have this name: ${rule}`;
      expect((await client.command(`COPY 1 ${name}`)).status, name).toBe(refusal);
      expect((await client.command(`UID MOVE 1 ${name}`)).status, name).toBe(refusal);
    }
    expect((await client.command('COPY 1 Nowhere')).status).toBe('NO [TRYCREATE] No such destination mailbox');
    // nothing moved: the message is still there
    expect((await client.command('FETCH 1:* UID')).untagged.map((line) => line.text)).toEqual(['* 1 FETCH (UID 1)']);
    client.close();
  });

  it('answers CREATE, RENAME to, SUBSCRIBE and UNSUBSCRIBE of such a name NO [CANNOT], and DELETE or RENAME from it NO [NONEXISTENT]', async () => {
    const { client } = await stack.newUser();
    expect((await client.command('ENABLE IMAP4rev2')).status).toBe('OK ENABLE completed');
    for (const [name, rule] of IMPOSSIBLE_NAMES.filter((_, i) => i % 2 === 0)) {
      expect((await client.command(`CREATE ${name}`)).status, name).toBe(`NO [CANNOT] No mailbox can have this name: ${rule}`);
      expect((await client.command(`SUBSCRIBE ${name}`)).status, name).toBe(`NO [CANNOT] No mailbox can have this name: ${rule}`);
    }
    expect((await client.command('UNSUBSCRIBE "a//b"')).status).toBe(`NO [CANNOT] No mailbox can have this name: ${EMPTY_LEVEL}`);
    expect((await client.command('RENAME Junk "Spam%"')).status).toBe(`NO [CANNOT] No mailbox can have this name: ${CHARACTERS}`);
    expect((await client.command('RENAME "a//b" Fine')).status).toBe(`NO [NONEXISTENT] No mailbox can have this name: ${EMPTY_LEVEL}`);
    expect((await client.command('DELETE "/Top"')).status).toBe(`NO [NONEXISTENT] No mailbox can have this name: ${EMPTY_LEVEL}`);
    // a trailing delimiter is no empty level: CREATE drops it (RFC 9051 §6.3.4)
    expect((await client.command('CREATE "Projects/"')).status).toBe('OK CREATE completed');
    // nothing refused was created or subscribed
    const listed = [...(await client.command('LIST "" "*"')).untagged, ...(await client.command('LSUB "" "*"')).untagged].map((line) => line.text);
    expect(listed.filter((line) => /a\/\/b|Top|Work|50%|xxx|tab|Spam/.test(line))).toEqual([]);
    expect(listed).toContain('* LIST (\\HasNoChildren) "/" Projects');
    client.close();
  });

  it('answers LIST and LSUB of a reference or pattern no folder can match OK with no entries, a pattern of a whole line at once', async () => {
    const { client } = await stack.newUser();
    expect(await client.command('LIST "a//b" "*"')).toEqual({ untagged: [], status: 'OK LIST completed' });
    expect(await client.command('LSUB "" "tab%%*%%"')).toEqual({ untagged: [], status: 'OK LSUB completed' });
    const long = await client.command(`LIST "" {60000+}\r\n${'%I'.repeat(30_000)}`);
    expect(long).toEqual({ untagged: [], status: 'OK LIST completed' });
    const wildcards = await client.command(`LIST "" {60000+}\r\n${'%'.repeat(60_000)}`);
    expect(wildcards.status).toBe('OK LIST completed');
    expect(wildcards.untagged.map((line) => line.text)).toContain('* LIST (\\HasNoChildren) "/" INBOX');
    client.close();
  });

  it('refuses a synchronizing APPEND before login instead of sending the +, and reads the next command', async () => {
    const { client } = await ImapTestClient.open(stack.imapPort);
    expect(await answerBeforeLiteral(client, 'a1', 'APPEND INBOX {5}')).toBe('a1 BAD APPEND not valid now: log in first');
    // the client sent no message: its next line is a command
    expect((await client.command('NOOP')).status).toBe('OK NOOP completed');
    expect(await answerBeforeLiteral(client, 'a2', 'APPEND INBOX (\\Seen) {67108864}')).toBe('a2 BAD APPEND not valid now: log in first');
    expect((await client.command('CAPABILITY')).status).toBe('OK CAPABILITY completed');
    client.close();
  });

  it('refuses a synchronizing APPEND that cannot store its message before the +: TRYCREATE, a name none can have, a second message, a bad flag', async () => {
    const { client } = await stack.newUser();
    expect(await answerBeforeLiteral(client, 'a1', 'APPEND Later {5}')).toBe('a1 NO [TRYCREATE] No such mailbox');
    expect(await answerBeforeLiteral(client, 'a2', 'APPEND "a//b" {5}')).toBe(`a2 NO [NONEXISTENT] No mailbox can have this name: ${EMPTY_LEVEL}`);
    expect(await answerBeforeLiteral(client, 'a3', 'APPEND INBOX (\\Bogus) {5}')).toBe('a3 BAD Unknown system flag, or too many flags');
    expect(await answerBeforeLiteral(client, 'a4', 'APPEND INBOX {5+}\r\nhello {5}')).toBe('a4 BAD One message per APPEND: MULTIAPPEND is not supported');
    // the client may CREATE the mailbox and try again (RFC 9051 §6.3.12): now the + comes
    expect((await client.command('CREATE Later')).status).toBe('OK CREATE completed');
    expect(await answerBeforeLiteral(client, 'a5', 'APPEND Later {5}')).toMatch(/^\+ /);
    client.write('hello\r\n');
    expect((await client.nextLine()).text).toMatch(/^a5 OK \[APPENDUID \d+ 1\] APPEND completed$/);
    // sent anyway as LITERAL+, the message is read and refused the same way
    expect((await client.command('APPEND "a//b" {5+}\r\nhello')).status).toBe(`NO [NONEXISTENT] No mailbox can have this name: ${EMPTY_LEVEL}`);
    // nothing else was stored
    const counts = async (name: string): Promise<CommandResponse> => client.command(`STATUS ${name} (MESSAGES)`);
    expect((await counts('INBOX')).untagged.map((line) => line.text)).toEqual(['* STATUS INBOX (MESSAGES 0)']);
    expect((await counts('Later')).untagged.map((line) => line.text)).toEqual(['* STATUS Later (MESSAGES 1)']);
    client.close();
  });

  it('answers other refusals of mailbox-store as what they mean: a search past the contract NO [LIMIT], an account removed during its session BYE', async () => {
    const { client, address } = await stack.newUser();
    expect((await client.command('SELECT INBOX')).status).toBe('OK [READ-WRITE] SELECT completed');
    // past the contract's bound: NO [LIMIT] naming it (search-query.ts checks it; mailbox-store-client answers so whatever it cannot send)
    expect((await client.command(`SEARCH SUBJECT {1001+}\r\n${'s'.repeat(1001)}`)).status).toMatch(/^NO \[LIMIT\] .*1000 characters/);
    expect((await client.command('SEARCH SUBJECT hello')).status).toBe('OK SEARCH completed');
    expect((await stack.mailctl('user', 'remove', address)).code).toBe(0);
    client.write('z1 LIST "" "*"\r\n');
    expect((await client.nextLine()).text).toBe('* BYE The account no longer exists');
    await expect(client.nextLine(5_000)).rejects.toThrow('the connection closed');
  });
});
