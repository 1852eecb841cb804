/**
 * Integration: APPEND (RFC 9051 §6.3.12, APPENDUID of RFC 4315) with the
 * message inline or in the object store, and SEARCH (§6.4.4) evaluated by
 * PostgreSQL, against a real mailbox-store, PostgreSQL and NATS.
 */
import { createHash } from 'node:crypto';
import { Notices, Requests, type MailboxChanged, type SearchKey } from '@mail/contracts';
import { waitFor } from '@mail/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleMessage } from './fixtures/classified-mail';
import { createTestSystem, type TestSystem } from './fixtures/test-system';

const user = 'erin@example.test';

function message(fields: Record<string, string>, body: string): Buffer {
  const head = Object.entries(fields)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return Buffer.from(`${head}\r\n${body}`, 'utf8');
}

describe('IMAP append and search', () => {
  let system: TestSystem;
  const notices: MailboxChanged[] = [];
  const inline = (octets: Buffer) => ({
    bucket: 'inline',
    key: 'appended',
    size: octets.length,
    sha256: createHash('sha256').update(octets).digest('hex'),
    inline: octets.toString('base64'),
  });
  const append = (folder: string, octets: Buffer, options: { flags?: string[]; internalDate?: string } = {}) =>
    system.bus.request(Requests.appendMessage, {
      version: 1,
      user,
      folder,
      content: inline(octets),
      flags: options.flags ?? [],
      ...(options.internalDate ? { internalDate: options.internalDate } : {}),
    });
  const search = async (query: SearchKey) => (await system.bus.request(Requests.searchMessages, { version: 1, user, folder: 'Search', query })).uids;

  beforeAll(async () => {
    system = await createTestSystem('mbx_imapappend');
    // mail.v1.mailbox.changed is keyed by user: the test user's own subject
    system.bus.listen(Notices.mailboxChanged, (notice) => notices.push(notice), { key: user });
    await system.start();
    await system.admin({ version: 1, op: 'domain.add', domain: 'example.test' });
    await system.admin({ version: 1, op: 'user.add', address: user, password: 'pw' });
  });
  afterAll(() => system?.cleanup());

  it('appends a message inline with flags and internal date, answering APPENDUID, then a change notice', async () => {
    const octets = message({ From: 'Alice <alice@crepes.fr>', Subject: 'Brouillon', Date: 'Sat, 21 Nov 2026 10:00:00 +0000' }, 'Texte.\r\n');
    const appended = await append('Drafts', octets, { flags: ['\\draft', 'Todo'], internalDate: '2026-03-04T05:06:07.000Z' });
    const drafts = await system.bus.request(Requests.selectFolder, { version: 1, user, folder: 'Drafts', afterUid: 0, limit: 10 });
    expect(appended).toEqual({ uidValidity: drafts.uidValidity, uid: 1, modseq: drafts.highestModseq });
    const [meta] = (await system.bus.request(Requests.fetchMeta, { version: 1, user, folder: 'Drafts', uids: [{ first: 1, last: 1 }], header: false })).messages;
    expect(meta).toMatchObject({ uid: 1, internalDate: '2026-03-04T05:06:07.000Z', size: octets.length, summary: { subject: 'Brouillon', from: '"Alice" <alice@crepes.fr>' } });
    expect([...(meta?.flags ?? [])].sort()).toEqual(['Todo', '\\Draft']);
    const chunk = await system.bus.request(Requests.fetchChunk, { version: 1, user, uid: meta?.key ?? '', offset: 0, length: 100_000 });
    expect(Buffer.from(chunk.data, 'base64').equals(octets)).toBe(true);
    await waitFor(() => notices.some((n) => n.kind === 'added' && n.folder === 'Drafts' && n.uids.includes(1)) || undefined, { description: 'the added notice' });
  });

  it('appends a large message from the object store, in pieces', async () => {
    const octets = sampleMessage('gros', 300_000);
    const content = await system.bus.bodies.put('append-large-1', [octets]);
    const appended = await system.bus.request(Requests.appendMessage, { version: 1, user, folder: 'Drafts', content, flags: [] });
    expect(appended.uid).toBe(2);
    const [meta] = (await system.bus.request(Requests.fetchMeta, { version: 1, user, folder: 'Drafts', uids: [{ first: 2, last: 2 }], header: false })).messages;
    expect(meta).toMatchObject({ size: octets.length, summary: { subject: 'gros' } });
    const { rows } = await system.db.query<{ sha256: string }>('SELECT m.sha256 FROM messages m JOIN mailbox_entries e ON e.message_id = m.id WHERE e.uid = $1', [meta?.key]);
    expect(rows[0]?.sha256).toBe(createHash('sha256').update(octets).digest('hex'));
  });

  it('refuses an append to a missing folder (TRYCREATE), over the quota, or with a corrupt body', async () => {
    const octets = message({ Subject: 'x' }, 'x\r\n');
    await expect(append('Nowhere', octets)).rejects.toMatchObject({ code: 'unknown-folder' });
    const corrupt = { ...inline(octets), sha256: '0'.repeat(64) };
    await expect(system.bus.request(Requests.appendMessage, { version: 1, user, folder: 'Drafts', content: corrupt, flags: [] })).rejects.toMatchObject({ code: 'corrupt-body' });
    const missing = { ...inline(octets), inline: undefined, key: 'never-written' };
    await expect(system.bus.request(Requests.appendMessage, { version: 1, user, folder: 'Drafts', content: missing, flags: [] })).rejects.toMatchObject({ code: 'corrupt-body' });
    const { usedOctets } = await system.bus.request(Requests.quota, { version: 1, user });
    await system.admin({ version: 1, op: 'user.quota', address: user, bytes: usedOctets + 5 });
    await expect(append('Drafts', octets)).rejects.toMatchObject({ code: 'over-quota' });
    await system.admin({ version: 1, op: 'user.quota', address: user, bytes: null });
    // nothing was stored by the refusals: the next UID is the next one
    expect((await append('Drafts', octets)).uid).toBe(3);
  });

  describe('search', () => {
    beforeAll(async () => {
      await system.bus.request(Requests.createFolder, { version: 1, user, name: 'Search' });
      const quarterly = message(
        {
          From: 'Alice <alice@crepes.fr>',
          To: 'erin@example.test',
          Cc: 'Dave <dave@galettes.fr>',
          Subject: 'Quarterly report',
          Date: 'Sat, 10 Jan 2026 10:00:00 +0000',
          'Message-ID': '<q1@crepes.fr>',
        },
        'The budget is attached.\r\n',
      );
      const lunch = message({ From: 'Bob <bob@cidre.fr>', Subject: 'Lunch?', Date: 'Sun, 01 Feb 2026 23:30:00 -0500', 'X-Priority': '1' }, 'Crêpes at noon, then a walk.\r\n');
      const folded = message({ From: 'Carol <carol@example.test>', Subject: 'A long\r\n subject about the Budget', 'X-Mailer': 'Tool\\Version 1' }, `${'filler line\r\n'.repeat(400)}`);
      await append('Search', quarterly, { flags: ['\\Seen'], internalDate: '2026-01-11T12:00:00.000Z' });
      await append('Search', lunch, { flags: ['\\Flagged', 'Work'], internalDate: '2026-02-02T12:00:00.000Z' });
      await append('Search', folded, { internalDate: '2026-03-03T12:00:00.000Z' });
    });

    it('matches flags, keywords in any case, UIDs, sizes and modseqs in SQL', async () => {
      expect(await search({ all: true })).toEqual([{ first: 1, last: 3 }]);
      expect(await search({ flag: '\\seen', set: true })).toEqual([{ first: 1, last: 1 }]);
      expect(await search({ flag: '\\Seen', set: false })).toEqual([{ first: 2, last: 3 }]);
      expect(await search({ flag: 'WORK', set: true })).toEqual([{ first: 2, last: 2 }]);
      expect(await search({ uids: [{ first: 3, last: 2 }] })).toEqual([{ first: 2, last: 3 }]);
      expect(await search({ size: 'larger', octets: 1000 })).toEqual([{ first: 3, last: 3 }]);
      expect(await search({ size: 'smaller', octets: 1000 })).toEqual([{ first: 1, last: 2 }]);
      const answer = await system.bus.request(Requests.searchMessages, { version: 1, user, folder: 'Search', query: { flag: '\\Flagged', set: true } });
      const selected = await system.bus.request(Requests.selectFolder, { version: 1, user, folder: 'Search', afterUid: 0, limit: 10 });
      expect(answer.highestModseq).toBe(selected.messages.find((m) => m.uid === 2)?.modseq);
      expect(await search({ modseqAtLeast: answer.highestModseq })).toEqual([{ first: 2, last: 3 }]);
      expect((await system.bus.request(Requests.searchMessages, { version: 1, user, folder: 'Search', query: { flag: 'Nothing', set: true } })).highestModseq).toBe(0);
    });

    it('compares internal dates and Date: fields by day', async () => {
      expect(await search({ date: 'internal', op: 'before', day: '2026-02-02' })).toEqual([{ first: 1, last: 1 }]);
      expect(await search({ date: 'internal', op: 'on', day: '2026-02-02' })).toEqual([{ first: 2, last: 2 }]);
      expect(await search({ date: 'internal', op: 'since', day: '2026-02-02' })).toEqual([{ first: 2, last: 3 }]);
      // 23:30 -0500 on 1 February is 2 February in UTC; the third message has no Date: and is never SENTON nor SENTBEFORE
      expect(await search({ date: 'sent', op: 'on', day: '2026-02-02' })).toEqual([{ first: 2, last: 2 }]);
      expect(await search({ not: { date: 'sent', op: 'before', day: '2026-02-01' } })).toEqual([{ first: 2, last: 3 }]);
    });

    it('matches header fields: stored ones decoded, others in the raw header section, unfolded', async () => {
      expect(await search({ header: 'FROM', contains: 'ALICE@crepes' })).toEqual([{ first: 1, last: 1 }]);
      expect(await search({ header: 'subject', contains: 'subject about the budget' })).toEqual([{ first: 3, last: 3 }]);
      expect(await search({ header: 'Message-ID', contains: 'q1@' })).toEqual([{ first: 1, last: 1 }]);
      expect(await search({ header: 'cc', contains: 'DAVE@galettes' })).toEqual([{ first: 1, last: 1 }]);
      expect(await search({ header: 'x-priority', contains: '' })).toEqual([{ first: 2, last: 2 }]);
      expect(await search({ header: 'x-mailer', contains: 'tool\\version' })).toEqual([{ first: 3, last: 3 }]);
      expect(await search({ header: 'x-mailer', contains: 'tool.version' })).toEqual([]);
      expect(await search({ header: 'bcc', contains: '' })).toEqual([]);
    });

    it('scans text and body as case-insensitive substrings, with AND, OR and NOT', async () => {
      expect(await search({ text: 'body', contains: 'BUDGET' })).toEqual([{ first: 1, last: 1 }]);
      expect(await search({ text: 'text', contains: 'budget' })).toEqual([
        { first: 1, last: 1 },
        { first: 3, last: 3 },
      ]);
      expect(await search({ text: 'body', contains: 'CRêPES AT' })).toEqual([{ first: 2, last: 2 }]);
      expect(await search({ text: 'body', contains: 'lunch' })).toEqual([]);
      expect(
        await search({
          or: [
            { flag: '\\Seen', set: true },
            { header: 'x-priority', contains: '1' },
          ],
        }),
      ).toEqual([{ first: 1, last: 2 }]);
      expect(await search({ and: [{ text: 'text', contains: 'budget' }, { not: { flag: '\\Seen', set: true } }] })).toEqual([{ first: 3, last: 3 }]);
    });
  });
});
