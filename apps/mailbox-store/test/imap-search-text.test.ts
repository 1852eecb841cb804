/**
 * Integration: SEARCH TEXT and BODY (RFC 9051 §6.4.4) through the search
 * index (migration 004, search-index/), against real mailbox-store
 * processes, PostgreSQL and NATS, with messages delivered as spam-filter
 * hands them over.
 *
 * The same messages are searched three ways: by a process that never
 * indexes (SEARCH_INDEX_BUDGET=0: pending messages are scanned raw, as
 * before the index), by one that indexes a folder when it is searched, and
 * by one whose background indexer gives a new message its text without any
 * search.
 */
import { Requests, type SearchKey } from '@mail/contracts';
import { waitFor, type ServiceProcess } from '@mail/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifiedMail, publishClassified } from './fixtures/classified-mail';
import { createTestSystem, type TestSystem } from './fixtures/test-system';

const user = 'fay@example.test';

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
const crlf = (text: string) => Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'latin1');

/** UID 1: the word only inside a base64 UTF-8 text part; the subject in an RFC 2047 encoded word. */
const base64Text = crlf(`From: Zoe <zoe@example.test>
To: ${user}
Subject: =?UTF-8?Q?R=C3=A9union_annuelle?=
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

${base64('Le quokka attend à Genève, près du lac.\n')}
`);
/** UID 2: the letters of the word inside an attachment's base64 (binary octets), never its text. */
const attachment = crlf(`From: Carol <carol@example.test>
To: ${user}
Subject: Documents
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=us-ascii

See the report attached.
--b1
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="rapport-annuel.pdf"
Content-Transfer-Encoding: base64

AAAAquokkaAAAAAA/+8=
--b1--
`);
/** UID 3: HTML in quoted-printable: words split by markup and references, a script that is no text. */
const html = crlf(`From: News <news@example.test>
To: ${user}
Subject: Lettre
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<html><body><p>Les <b>CR=C3=8APES</b> du ma&icirc;tre <i>Hippopotame</i></p><script>quokka()</script></body></html>
`);
/** Delivered after the first search: ISO-8859-1 in quoted-printable. */
const latin1 = crlf(`From: Bob <bob@example.test>
To: ${user}
Subject: Suite
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-8859-1
Content-Transfer-Encoding: quoted-printable

Le quokka de Gen=E8ve est revenu.
`);

describe('SEARCH TEXT and BODY through the search index', () => {
  let system: TestSystem;
  let running: ServiceProcess | undefined;
  let delivered = 0;

  const search = async (query: SearchKey) => (await system.bus.request(Requests.searchMessages, { version: 1, user, folder: 'INBOX', query })).uids;
  /** UIDs as the answer gives them: ascending ranges. */
  const uids = (...list: number[]) =>
    list.reduce<{ first: number; last: number }[]>((ranges, uid) => {
      const last = ranges[ranges.length - 1];
      if (last !== undefined && last.last + 1 === uid) last.last = uid;
      else ranges.push({ first: uid, last: uid });
      return ranges;
    }, []);
  const searchText = (queueId: string) =>
    system.db.query<{ extraction: string | null; indexed: boolean }>('SELECT extraction, indexed_at IS NOT NULL AS indexed FROM message_search_text WHERE message_id = $1', [queueId]);

  async function deliver(queueId: string, body: Buffer): Promise<void> {
    await publishClassified(system.bus, await classifiedMail(system.bus, { queueId, body, localRecipients: [user] }));
    delivered += 1;
    // one at a time, so UIDs follow this order
    await waitFor(async () => (await system.bus.request(Requests.selectFolder, { version: 1, user, folder: 'INBOX', afterUid: 0, limit: 1 })).exists === delivered || undefined, {
      description: `message ${delivered} in INBOX`,
    });
  }

  async function restart(env: Record<string, string>): Promise<void> {
    await running?.stop('SIGTERM');
    running = await system.start({ env });
  }

  beforeAll(async () => {
    system = await createTestSystem('mbx_searchtext');
    // first a process that never indexes: every message stays pending
    await restart({ SEARCH_INDEX_BUDGET: '0', SEARCH_INDEX_IDLE_AFTER: '0' });
    await system.admin({ version: 1, op: 'domain.add', domain: 'example.test' });
    await system.admin({ version: 1, op: 'user.add', address: user, password: 'pw' });
    await deliver('srchtext0001', base64Text);
    await deliver('srchtext0002', attachment);
    await deliver('srchtext0003', html);
  });
  afterAll(() => system?.cleanup());

  it('queues every delivered message for the index, and scans a pending one raw (base64 unread)', async () => {
    for (const queueId of ['srchtext0001', 'srchtext0002', 'srchtext0003']) expect((await searchText(queueId)).rows).toEqual([{ extraction: null, indexed: false }]);
    // undecoded octets: the attachment's base64 letters and the HTML's script match, the base64 text part does not
    expect(await search({ text: 'body', contains: 'quokka' })).toEqual(uids(2, 3));
    expect((await searchText('srchtext0001')).rows).toEqual([{ extraction: null, indexed: false }]);
  });

  it('indexes the folder at the first TEXT/BODY search and matches decoded text, never base64', async () => {
    await restart({ SEARCH_INDEX_IDLE_AFTER: '0' });
    expect(await search({ text: 'body', contains: 'quokka' })).toEqual(uids(1));
    for (const queueId of ['srchtext0001', 'srchtext0002', 'srchtext0003']) expect((await searchText(queueId)).rows).toEqual([{ extraction: 'decoded', indexed: true }]);
    // not in the HTML's script either
    expect(await search({ text: 'text', contains: 'quokka' })).toEqual(uids(1));
  });

  it('ignores case beyond ASCII and finds substrings inside words', async () => {
    expect(await search({ text: 'body', contains: 'QUOKKA' })).toEqual(uids(1));
    expect(await search({ text: 'body', contains: 'GENÈVE, PRÈS' })).toEqual(uids(1));
    expect(await search({ text: 'body', contains: 'crêpes du maître' })).toEqual(uids(3));
    expect(await search({ text: 'body', contains: 'ppopot' })).toEqual(uids(3));
    expect(await search({ text: 'body', contains: 'rt attac' })).toEqual(uids(2));
    expect(await search({ text: 'body', contains: '' })).toEqual(uids(1, 2, 3));
    expect(await search({ text: 'body', contains: '100%_' })).toEqual([]);
  });

  it('looks in decoded header fields for TEXT only, and in file names for BODY', async () => {
    expect(await search({ text: 'text', contains: 'réunion annuelle' })).toEqual(uids(1));
    expect(await search({ text: 'body', contains: 'réunion' })).toEqual([]);
    expect(await search({ text: 'body', contains: 'rapport-annuel.pdf' })).toEqual(uids(2));
    expect(await search({ text: 'text', contains: 'annuel' })).toEqual(uids(1, 2));
    expect(await search({ and: [{ text: 'text', contains: 'annuel' }, { not: { text: 'body', contains: 'pdf' } }] })).toEqual(uids(1));
  });

  it('finds a message delivered after the first search at the next one', async () => {
    await deliver('srchtext0004', latin1);
    expect(await search({ text: 'body', contains: 'quokka' })).toEqual(uids(1, 4));
    expect(await search({ text: 'body', contains: 'genève' })).toEqual(uids(1, 4));
    expect((await searchText('srchtext0004')).rows).toEqual([{ extraction: 'decoded', indexed: true }]);
  });

  it('drops the text of an expunged message with the message', async () => {
    await system.bus.request(Requests.storeFlags, { version: 1, user, folder: 'INBOX', uids: uids(4), action: 'add', flags: ['\\Deleted'] });
    expect((await system.bus.request(Requests.expungeFolder, { version: 1, user, folder: 'INBOX' })).expunged).toEqual([4]);
    delivered -= 1;
    expect((await searchText('srchtext0004')).rows).toEqual([]);
    expect(await search({ text: 'body', contains: 'quokka' })).toEqual(uids(1));
  });

  it('extracts a large message in the worker thread', async () => {
    const large = crlf(`From: Big <big@example.test>
To: ${user}
Subject: Archive
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

${base64(`${'Lorem ipsum dolor sit amet. '.repeat(12_000)}Le pangolin dort.\n`)}
`);
    expect(large.length).toBeGreaterThan(256 * 1024);
    await deliver('srchtext0006', large);
    expect(await search({ text: 'body', contains: 'pangolin dort' })).toEqual(uids(5));
    expect((await searchText('srchtext0006')).rows).toEqual([{ extraction: 'decoded', indexed: true }]);
  });

  it('indexes a new message in the background once deliveries are quiet, without a search', async () => {
    await restart({ SEARCH_INDEX_IDLE_AFTER: '200ms' });
    await deliver('srchtext0005', latin1);
    await waitFor(async () => (await searchText('srchtext0005')).rows[0]?.indexed || undefined, { description: 'the background indexer' });
    expect((await searchText('srchtext0005')).rows).toEqual([{ extraction: 'decoded', indexed: true }]);
  });
});
