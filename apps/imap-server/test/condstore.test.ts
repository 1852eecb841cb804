/**
 * CONDSTORE and QRESYNC (RFC 7162) against the running platform (every
 * service a real process, real NATS, PostgreSQL and Redis): HIGHESTMODSEQ
 * at SELECT, MODSEQ raised by STORE and shown by FETCH, FETCH CHANGEDSINCE,
 * STATUS and SEARCH MODSEQ, UNCHANGEDSINCE refused with MODIFIED, another
 * session's change heard with its MODSEQ; a QRESYNC SELECT after other
 * sessions (IMAP and POP3) expunged and flagged gets exactly those UIDs in
 * VANISHED (EARLIER) and those flags; in a QRESYNC session expunges are
 * VANISHED, never EXPUNGE.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { countMessages, Pop3Client } from '@mail/pop3-client';
import { LineClient, waitFor, type MailStack } from '@mail/testing';
import { ImapTestClient, type CommandResponse } from './fixtures/imap-client';
import { imapStackForSuite } from './fixtures/imap-stack';

const MESSAGES = 8;
const bob = 'bob@example.test';
/** The platform starts and takes the deliveries slowly on a loaded machine. */
const START_TIMEOUT_MS = 300_000;
const TEST_TIMEOUT_MS = 120_000;

/** Delivers `count` messages to bob over SMTP in one session, with subjects `note 1` … `note n`. */
async function deliver(stack: MailStack, count: number): Promise<void> {
  const smtp = await LineClient.open(stack.smtpPort);
  expect((await smtp.readSmtpReply()).code).toBe(220);
  expect((await smtp.smtp('HELO crepes.fr')).code).toBe(250);
  for (let n = 1; n <= count; n++) {
    for (const line of ['MAIL FROM:<alice@crepes.fr>', 'RCPT TO:<bob@example.test>']) expect((await smtp.smtp(line)).code).toBe(250);
    expect((await smtp.smtp('DATA')).code).toBe(354);
    smtp.write(`Subject: note ${n}\r\nFrom: Alice <alice@crepes.fr>\r\n\r\nNote number ${n}.\r\n.\r\n`);
    expect((await smtp.readSmtpReply()).code).toBe(250);
  }
  await smtp.smtp('QUIT');
  smtp.close();
}

const texts = (response: CommandResponse): string[] => response.untagged.map((line) => line.text);

/** The number of a response code (`* OK [HIGHESTMODSEQ 42] ...`) among the untagged lines. */
function codeValue(response: CommandResponse, code: string): number {
  const found = texts(response)
    .map((text) => new RegExp(`^\\* OK \\[${code} (\\d+)\\]`).exec(text))
    .find((match) => match !== null);
  if (found == null) throw new Error(`no ${code} in ${JSON.stringify(texts(response))}`);
  return Number(found[1]);
}

/** The UIDs of the selected mailbox in sequence order. */
async function uidsOf(client: ImapTestClient): Promise<number[]> {
  const reply = await client.command('UID FETCH 1:* (UID)');
  return texts(reply)
    .map((text) => /^\* \d+ FETCH \(UID (\d+)\)$/.exec(text))
    .filter((match) => match !== null)
    .map((match) => Number(match[1]));
}

/** The POP3 message number of the message whose subject is `subject`, found with TOP n 0. */
async function pop3Number(pop3: Pop3Client, subject: string): Promise<number> {
  const { count } = await pop3.stat();
  for (let n = 1; n <= count; n++) {
    if ((await pop3.multiline(`TOP ${n} 0`)).wire.toString().includes(`Subject: ${subject}\r\n`)) return n;
  }
  throw new Error(`no message with subject ${subject} over POP3`);
}

/** The subject of a message in the selected mailbox, by UID. */
async function subjectOf(client: ImapTestClient, uid: number): Promise<string> {
  const reply = await client.command(`UID FETCH ${uid} (BODY.PEEK[HEADER.FIELDS (SUBJECT)])`);
  const header = reply.untagged[0]?.literals[0]?.toString() ?? '';
  return /^Subject: (.*)\r\n/.exec(header)?.[1] ?? '';
}

describe('imap-server CONDSTORE and QRESYNC', () => {
  const stack = imapStackForSuite({ env: { IMAP_AUTH_FAILURE_DELAY: '10ms' }, users: [bob] });
  let port: number;

  beforeAll(async () => {
    port = stack.imapPort;
    await deliver(stack, MESSAGES);
    await waitFor(async () => (await countMessages(stack.pop3Port, 'bob@example.test', 'hungry')) === MESSAGES, { description: 'the messages in bob’s mailbox', timeoutMs: START_TIMEOUT_MS });
  }, START_TIMEOUT_MS);

  it(
    'advertises CONDSTORE and QRESYNC',
    async () => {
      const { client, greeting } = await ImapTestClient.open(port);
      expect(greeting).toMatch(/ CONDSTORE QRESYNC[ \]]/);
      client.close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reports HIGHESTMODSEQ at SELECT (CONDSTORE); STORE raises it, FETCH MODSEQ, CHANGEDSINCE, STATUS and SEARCH MODSEQ agree',
    async () => {
      const client = await stack.loggedIn(bob);
      const selected = await client.command('SELECT INBOX (CONDSTORE)');
      expect(selected.status).toBe('OK [READ-WRITE] SELECT completed');
      const h0 = codeValue(selected, 'HIGHESTMODSEQ');

      const all = texts(await client.command('FETCH 1:* (UID MODSEQ)'));
      expect(all).toHaveLength(MESSAGES);
      for (const line of all) expect(Number(/MODSEQ \((\d+)\)\)$/.exec(line)?.[1])).toBeLessThanOrEqual(h0);

      const stored = texts(await client.command('STORE 2 +FLAGS (\\Flagged)'));
      expect(stored).toEqual([expect.stringMatching(/^\* 2 FETCH \(UID \d+ FLAGS \(\\Flagged\) MODSEQ \(\d+\)\)$/)]);
      const m = Number(/MODSEQ \((\d+)\)/.exec(stored[0] as string)?.[1]);
      expect(m).toBeGreaterThan(h0);

      // RFC 7162 §3.1.4.1: only what changed since, with MODSEQ though not asked
      expect(texts(await client.command(`FETCH 1:* (FLAGS) (CHANGEDSINCE ${h0})`))).toEqual([`* 2 FETCH (FLAGS (\\Flagged) MODSEQ (${m}))`]);
      expect(texts(await client.command(`FETCH 1:* (FLAGS) (CHANGEDSINCE ${m})`))).toEqual([]);

      const status = texts(await client.command('STATUS INBOX (HIGHESTMODSEQ MESSAGES)'));
      expect(status).toContain(`* STATUS INBOX (HIGHESTMODSEQ ${m} MESSAGES ${MESSAGES})`);
      expect(texts(await client.command(`SEARCH MODSEQ ${m}`))).toEqual([`* SEARCH 2 (MODSEQ ${m})`]);
      expect(texts(await client.command(`SEARCH RETURN (ALL COUNT) MODSEQ ${h0 + 1}`))).toEqual([expect.stringMatching(new RegExp(`^\\* ESEARCH \\(TAG "t\\d+"\\) ALL 2 COUNT 1 MODSEQ ${m}$`))]);
      expect(texts(await client.command(`SEARCH MODSEQ ${m + 1}`))).toEqual(['* SEARCH']);
      await client.command('LOGOUT');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'refuses STORE UNCHANGEDSINCE on a message changed since (MODIFIED) and tells a CONDSTORE session of another’s change with its MODSEQ',
    async () => {
      const a = await stack.loggedIn(bob);
      await a.command('SELECT INBOX');
      // FETCH MODSEQ turns CONDSTORE on: the untagged HIGHESTMODSEQ comes with it (RFC 7162 §3.1)
      const first = await a.command('FETCH 1 (MODSEQ)');
      expect(texts(first)[0]).toMatch(/^\* OK \[HIGHESTMODSEQ \d+\]/);
      const m1 = Number(/^\* 1 FETCH \(MODSEQ \((\d+)\)\)$/.exec(texts(first)[1] as string)?.[1]);

      const b = await stack.loggedIn(bob);
      await b.command('SELECT INBOX');
      expect((await b.command('STORE 1 +FLAGS (\\Answered)')).status).toBe('OK STORE completed');
      await b.command('LOGOUT');

      const heard = texts(await a.command('NOOP')).find((text) => text.startsWith('* 1 FETCH'));
      expect(heard).toMatch(/^\* 1 FETCH \(UID \d+ FLAGS \(\\Answered\) MODSEQ \(\d+\)\)$/);
      const m2 = Number(/MODSEQ \((\d+)\)/.exec(heard as string)?.[1]);
      expect(m2).toBeGreaterThan(m1);

      const conflict = await a.command(`STORE 1 (UNCHANGEDSINCE ${m1}) +FLAGS (\\Seen)`);
      expect(conflict.status).toBe('OK [MODIFIED 1] Some messages were modified meanwhile');
      expect(texts(conflict).filter((text) => text.includes('\\Seen'))).toEqual([]);
      const accepted = await a.command(`STORE 1 (UNCHANGEDSINCE ${m2}) -FLAGS.SILENT (\\Answered)`);
      expect(accepted.status).toBe('OK STORE completed');
      // RFC 7162 §3.1.3: .SILENT still answers the new MODSEQ
      expect(texts(accepted)).toContainEqual(expect.stringMatching(/^\* 1 FETCH \(UID \d+ MODSEQ \(\d+\)\)$/));
      await a.command('LOGOUT');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'resynchronizes a QRESYNC SELECT: exactly the UIDs expunged since (IMAP EXPUNGE and POP3 DELE) in VANISHED (EARLIER), and the flag changes',
    async () => {
      const before = await stack.loggedIn(bob);
      expect(texts(await before.command('ENABLE QRESYNC'))).toEqual(['* ENABLED QRESYNC']);
      const selected = await before.command('SELECT INBOX');
      const uidValidity = codeValue(selected, 'UIDVALIDITY');
      const h1 = codeValue(selected, 'HIGHESTMODSEQ');
      const uids = await uidsOf(before);
      const [, , gone, flagged, popped] = uids as [number, number, number, number, number];
      const poppedSubject = await subjectOf(before, popped);
      await before.command('LOGOUT');

      // While the client is away: one expunged over IMAP, one flagged, one deleted over POP3
      const other = await stack.loggedIn(bob);
      await other.command('SELECT INBOX');
      await other.command(`UID STORE ${gone} +FLAGS.SILENT (\\Deleted)`);
      expect(texts(await other.command('EXPUNGE'))).toEqual(['* 3 EXPUNGE']);
      await other.command(`UID STORE ${flagged} +FLAGS.SILENT (\\Flagged)`);
      await other.command('LOGOUT');
      const pop3 = await Pop3Client.login(stack.pop3Port, 'bob@example.test', 'hungry');
      expect(await pop3.command(`DELE ${await pop3Number(pop3, poppedSubject)}`)).toMatch(/^\+OK/);
      await pop3.quit();

      const after = await stack.loggedIn(bob);
      await after.command('ENABLE QRESYNC');
      const resynced = await after.command(`SELECT INBOX (QRESYNC (${uidValidity} ${h1}))`);
      expect(resynced.status).toBe('OK [READ-WRITE] SELECT completed');
      const lines = texts(resynced);
      expect(lines.filter((text) => text.startsWith('* VANISHED'))).toEqual([`* VANISHED (EARLIER) ${gone},${popped}`]);
      expect(lines.filter((text) => / FETCH /.test(text))).toEqual([expect.stringMatching(new RegExp(`^\\* 3 FETCH \\(UID ${flagged} FLAGS \\(\\\\Flagged\\) MODSEQ \\(\\d+\\)\\)$`))]);
      expect(lines.some((text) => text.endsWith('EXPUNGE'))).toBe(false);
      // The VANISHED comes before the FETCH, after the SELECT's own lines (RFC 7162 §3.2.5.1)
      expect(lines.findIndex((text) => text.startsWith('* VANISHED'))).toBeLessThan(lines.findIndex((text) => / FETCH /.test(text)));

      // Known UIDs limit the report; a stale UIDVALIDITY makes the parameter void
      const known = await after.command(`SELECT INBOX (QRESYNC (${uidValidity} ${h1} ${popped}:*))`);
      expect(texts(known)[0]).toBe('* OK [CLOSED] Previous mailbox closed');
      expect(texts(known).filter((text) => text.startsWith('* VANISHED') || / FETCH /.test(text))).toEqual([`* VANISHED (EARLIER) ${popped}`]);
      const stale = await after.command(`SELECT INBOX (QRESYNC (${uidValidity + 1} ${h1}))`);
      expect(texts(stale).filter((text) => text.startsWith('* VANISHED') || / FETCH /.test(text))).toEqual([]);
      await after.command('LOGOUT');

      const notEnabled = await stack.loggedIn(bob);
      expect((await notEnabled.command(`SELECT INBOX (QRESYNC (${uidValidity} ${h1}))`)).status).toBe('BAD QRESYNC is not enabled (ENABLE QRESYNC first)');
      await notEnabled.command('LOGOUT');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reports expunges as VANISHED in a QRESYNC session: its EXPUNGE, another session’s, MOVE, and UID FETCH (CHANGEDSINCE VANISHED)',
    async () => {
      const client = await stack.loggedIn(bob);
      await client.command('ENABLE QRESYNC');
      const h = codeValue(await client.command('SELECT INBOX'), 'HIGHESTMODSEQ');
      const [first, second, third] = (await uidsOf(client)) as [number, number, number];

      await client.command(`UID STORE ${first} +FLAGS.SILENT (\\Deleted)`);
      const expunged = await client.command('EXPUNGE');
      expect(texts(expunged)).toContain(`* VANISHED ${first}`);
      expect(texts(expunged).some((text) => text.endsWith('EXPUNGE'))).toBe(false);
      const afterExpunge = Number(/^OK \[HIGHESTMODSEQ (\d+)\] EXPUNGE completed$/.exec(expunged.status)?.[1]);
      expect(afterExpunge).toBeGreaterThan(h);

      const other = await stack.loggedIn(bob);
      await other.command('SELECT INBOX');
      await other.command(`UID STORE ${second} +FLAGS.SILENT (\\Deleted)`);
      await other.command(`UID EXPUNGE ${second}`);
      await other.command('LOGOUT');
      const polled = texts(await client.command('NOOP'));
      expect(polled).toContain(`* VANISHED ${second}`);
      expect(polled.some((text) => text.endsWith('EXPUNGE'))).toBe(false);

      const vanished = texts(await client.command(`UID FETCH 1:* (FLAGS) (CHANGEDSINCE ${h} VANISHED)`));
      expect(vanished[0]).toBe(second === first + 1 ? `* VANISHED (EARLIER) ${first}:${second}` : `* VANISHED (EARLIER) ${first},${second}`);

      const moved = texts(await client.command(`UID MOVE ${third} Junk`));
      expect(moved).toContainEqual(expect.stringMatching(/^\* OK \[COPYUID \d+ \d+ \d+\]/));
      expect(moved).toContain(`* VANISHED ${third}`);
      await client.command('LOGOUT');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'sets \\Seen with FETCH CHANGEDSINCE and a non-PEEK section only on the messages it returns (RFC 7162 §3.1.4.1, RFC 9051 §6.4.5)',
    async () => {
      const client = await stack.loggedIn(bob);
      await client.command('SELECT INBOX (CONDSTORE)');
      const uids = await uidsOf(client);
      expect(uids.length).toBeGreaterThanOrEqual(3);
      await client.command('UID STORE 1:* -FLAGS.SILENT (\\Seen)');
      const modseqs = texts(await client.command('FETCH 1:* (MODSEQ)')).map((text) => Number(/MODSEQ \((\d+)\)/.exec(text)?.[1] ?? 0));
      const before = Math.max(...modseqs);
      const changed = uids[1] as number;
      await client.command(`UID STORE ${changed} +FLAGS.SILENT (\\Flagged)`);

      const fetched = texts(await client.command(`FETCH 1:* (BODY[]) (CHANGEDSINCE ${before})`)).filter((text) => text.includes('BODY[]'));
      expect(fetched).toEqual([expect.stringMatching(new RegExp(`^\\* 2 FETCH \\(UID ${changed} FLAGS \\((?=[^)]*\\\\Seen)(?=[^)]*\\\\Flagged)[^)]*\\) MODSEQ \\(\\d+\\) BODY\\[\\] \\{\\d+\\}\\)$`))]);
      // The messages CHANGEDSINCE left out are still unseen
      expect(texts(await client.command('UID SEARCH SEEN'))).toContain(`* SEARCH ${changed}`);
      await client.command('LOGOUT');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'does not echo a session’s own STORE or \\Seen as an unsolicited FETCH, but reports another session’s change made since (RFC 9051 §7.5.2)',
    async () => {
      const other = await stack.loggedIn(bob);
      await other.command('SELECT INBOX');
      // A known start, before the client selects: no message seen, answered or a draft
      await other.command('UID STORE 1:* -FLAGS.SILENT (\\Seen \\Answered \\Draft)');
      const watcher = await stack.loggedIn(bob);
      await watcher.command('SELECT INBOX');
      watcher.write('w1 IDLE\r\n');
      expect((await watcher.nextLine()).text).toBe('+ idling');
      const client = await stack.loggedIn(bob);
      await client.command('SELECT INBOX (CONDSTORE)');
      const [first, , third] = (await uidsOf(client)) as [number, number, number];

      const stored = texts(await client.command(`UID STORE ${first} +FLAGS (\\Draft)`));
      expect(stored).toEqual([expect.stringMatching(new RegExp(`^\\* 1 FETCH \\(UID ${first} FLAGS \\([^)]*\\\\Draft[^)]*\\) MODSEQ \\(\\d+\\)\\)$`))]);
      // The watcher in IDLE on the same process heard the notice: the client's session has been told too
      await watcher.waitForLine(new RegExp(`FETCH \\(UID ${first} FLAGS \\([^)]*\\\\Draft`), 10_000);
      expect(texts(await client.command('NOOP')).filter((text) => text.includes(' FETCH '))).toEqual([]);

      // Reading a message sets \Seen: the FETCH answer carries the new FLAGS, no echo follows
      const read = texts(await client.command(`UID FETCH ${third} (BODY[HEADER])`));
      expect(read[0]).toMatch(new RegExp(`^\\* 3 FETCH \\(UID ${third} FLAGS \\([^)]*\\\\Seen[^)]*\\) MODSEQ \\(\\d+\\) BODY\\[HEADER\\]`));
      await watcher.waitForLine(new RegExp(`FETCH \\(UID ${third} FLAGS \\([^)]*\\\\Seen`), 10_000);
      expect(texts(await client.command('NOOP')).filter((text) => text.includes(' FETCH '))).toEqual([]);

      // Another session's change after the client's own is reported, with the client's flag in it
      await other.command(`UID STORE ${first} +FLAGS.SILENT (\\Answered)`);
      await other.command('LOGOUT');
      const heard = texts(await client.command('NOOP')).filter((text) => text.includes(' FETCH '));
      expect(heard).toEqual([expect.stringMatching(new RegExp(`^\\* 1 FETCH \\(UID ${first} FLAGS \\((?=[^)]*\\\\Answered)(?=[^)]*\\\\Draft)[^)]*\\) MODSEQ \\(\\d+\\)\\)$`))]);
      watcher.write('DONE\r\n');
      await watcher.waitForLine(/^w1 OK/, 10_000);
      await Promise.all([client.command('LOGOUT'), watcher.command('LOGOUT')]);
    },
    TEST_TIMEOUT_MS,
  );
});
