/** Integration: classified mail stored, listed, fetched in chunks, expunged; junk, a missing folder, redelivery, missing users. */
import { createHash } from 'node:crypto';
import { Requests, Streams } from '@mail/contracts';
import { waitFor } from '@mail/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifiedMail, expectedStoredBytes, publishClassified, sampleMessage } from './fixtures/classified-mail';
import { createTestSystem, type TestSystem } from './fixtures/test-system';

describe('storing classified mail and reading it back', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await createTestSystem('mbx_delivery');
    await system.start();
    await system.admin({ version: 1, op: 'domain.add', domain: 'example.test' });
    for (const user of ['bob', 'carol', 'dave']) await system.admin({ version: 1, op: 'user.add', address: `${user}@example.test`, password: 'pw' });
  });
  afterAll(() => system?.cleanup());

  const list = (user: string, folders = ['INBOX']) => system.bus.request(Requests.listMailbox, { version: 1, user, folders });
  const entriesOf = async (user: string, folders?: string[]) => (await list(user, folders)).entries;

  async function fetchAll(user: string, uid: string, chunkLength: number): Promise<{ bytes: Buffer; chunks: number }> {
    const parts: Buffer[] = [];
    for (let offset = 0; ;) {
      const chunk = await system.bus.request(Requests.fetchChunk, { version: 1, user, uid, offset, length: chunkLength });
      const data = Buffer.from(chunk.data, 'base64');
      parts.push(data);
      offset += data.length;
      if (chunk.eof) return { bytes: Buffer.concat(parts), chunks: parts.length };
    }
  }

  it('stores a large message once for two recipients, serves it in byte-exact chunks, and expunges it', async () => {
    const body = sampleMessage('Gros message', 700 * 1024);
    const event = await classifiedMail(system.bus, { queueId: 'BIGMESSAGE01', body, localRecipients: ['bob@example.test', 'Carol@Example.test'], remoteRecipients: ['zoe@remote.test'] });
    await publishClassified(system.bus, event);
    const [entry] = await waitFor(async () => ((await entriesOf('bob@example.test')).length === 1 ? entriesOf('bob@example.test') : undefined), { description: "bob's entry" });
    const expected = expectedStoredBytes(event, body);
    expect(entry).toMatchObject({ size: expected.length, folder: 'INBOX' });
    expect(entry?.uid).toMatch(/^[0-9a-f]{32}$/);
    expect(await entriesOf('carol@example.test')).toHaveLength(1);

    const fetched = await fetchAll('bob@example.test', entry?.uid ?? '', 256 * 1024);
    expect(fetched.chunks).toBeGreaterThanOrEqual(3);
    expect(fetched.bytes.equals(expected)).toBe(true);

    const stored = await system.db.query('SELECT size, subject, header_from, message_id_header FROM messages');
    expect(stored.rows).toEqual([{ size: expected.length, subject: 'Gros message', header_from: '"Alice" <alice@crepes.fr>', message_id_header: '<Grosmessage@crepes.fr>' }]);

    const expunged = await system.bus.request(Requests.expunge, { version: 1, user: 'bob@example.test', uids: [entry?.uid ?? ''] });
    expect(expunged).toEqual({ deleted: 1 });
    expect(await entriesOf('bob@example.test')).toEqual([]);
    expect((await system.db.query('SELECT id FROM messages')).rowCount).toBe(1); // carol still holds it
    const [carols] = await entriesOf('carol@example.test');
    await system.bus.request(Requests.expunge, { version: 1, user: 'carol@example.test', uids: [carols?.uid ?? ''] });
    expect((await system.db.query('SELECT id FROM messages')).rowCount).toBe(0);
  });

  it('stores a message larger than one write piece (STORE_WRITE_CHUNK) byte for byte, with its hash', async () => {
    const body = sampleMessage('Tres gros message', 9 * 1024 * 1024 + 12345);
    const event = await classifiedMail(system.bus, { queueId: 'HUGEMESSAGE1', body, localRecipients: ['dave@example.test'] });
    await publishClassified(system.bus, event);
    const [entry] = await waitFor(async () => ((await entriesOf('dave@example.test')).length === 1 ? entriesOf('dave@example.test') : undefined), {
      timeoutMs: 60_000,
      description: 'the huge message',
    });
    const expected = expectedStoredBytes(event, body);
    expect(entry?.size).toBe(expected.length);
    expect((await fetchAll('dave@example.test', entry?.uid ?? '', 512 * 1024)).bytes.equals(expected)).toBe(true);
    const { rows } = await system.db.query("SELECT size, sha256, subject FROM messages WHERE id = 'HUGEMESSAGE1'");
    expect(rows).toEqual([{ size: expected.length, sha256: createHash('sha256').update(expected).digest('hex'), subject: 'Tres gros message' }]);
    await system.bus.request(Requests.expunge, { version: 1, user: 'dave@example.test', uids: [entry?.uid ?? ''] });
  });

  it('stores a hostile message (multiparts nested 5,000 deep) raw, without stalling', async () => {
    const depth = 5_000;
    const parts: string[] = ['From: Mallory <mallory@crepes.fr>\r\nTo: dave@example.test\r\nSubject: Matryoshka\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b0"\r\n\r\n'];
    for (let i = 0; i < depth; i++) parts.push(`--b${i}\r\nContent-Type: multipart/mixed; boundary="b${i + 1}"\r\n\r\n`);
    parts.push(`--b${depth}\r\nContent-Type: text/plain\r\n\r\nat the bottom\r\n`);
    for (let i = depth; i >= 0; i--) parts.push(`--b${i}--\r\n`);
    const body = Buffer.from(parts.join(''), 'utf8');
    const event = await classifiedMail(system.bus, { queueId: 'MATRYOSHKA01', body, localRecipients: ['dave@example.test'] });
    await publishClassified(system.bus, event);
    const [entry] = await waitFor(async () => ((await entriesOf('dave@example.test')).length === 1 ? entriesOf('dave@example.test') : undefined), { description: 'the hostile message' });
    expect((await fetchAll('dave@example.test', entry?.uid ?? '', 512 * 1024)).bytes.equals(expectedStoredBytes(event, body))).toBe(true);
    const { rows } = await system.db.query("SELECT subject, header_from FROM messages WHERE id = 'MATRYOSHKA01'");
    expect(rows).toEqual([{ subject: 'Matryoshka', header_from: '"Mallory" <mallory@crepes.fr>' }]);
    await system.bus.request(Requests.expunge, { version: 1, user: 'dave@example.test', uids: [entry?.uid ?? ''] });
  });

  it('files junk into the Junk folder', async () => {
    const event = await classifiedMail(system.bus, { queueId: 'JUNKMESSAGE1', body: sampleMessage('Cheap pills', 2000), localRecipients: ['dave@example.test'], action: 'junk' });
    await publishClassified(system.bus, event);
    const junk = await waitFor(async () => ((await entriesOf('dave@example.test', ['Junk'])).length === 1 ? entriesOf('dave@example.test', ['Junk']) : undefined), { description: 'junk entry' });
    expect(junk[0]?.folder).toBe('Junk');
    expect(await entriesOf('dave@example.test', ['INBOX'])).toEqual([]);
  });

  it('recreates a folder a user lacks and files the message in it', async () => {
    await system.db.query("DELETE FROM mailboxes WHERE name = 'Junk' AND user_id = (SELECT id FROM users WHERE address = 'carol@example.test')");
    const event = await classifiedMail(system.bus, { queueId: 'NOJUNKFOLDER', body: sampleMessage('Spam again', 1500), localRecipients: ['carol@example.test'], action: 'junk' });
    await publishClassified(system.bus, event);
    const junk = await waitFor(async () => ((await entriesOf('carol@example.test', ['Junk'])).length === 1 ? entriesOf('carol@example.test', ['Junk']) : undefined), {
      description: "carol's junk entry",
    });
    expect(junk[0]?.folder).toBe('Junk');
    // One write piece: the SHA-256 went in with the INSERT.
    const { rows } = await system.db.query("SELECT sha256 FROM messages WHERE id = 'NOJUNKFOLDER'");
    expect(rows).toEqual([
      {
        sha256: createHash('sha256')
          .update(expectedStoredBytes(event, sampleMessage('Spam again', 1500)))
          .digest('hex'),
      },
    ]);
  });

  it('stores a redelivered event once', async () => {
    const event = await classifiedMail(system.bus, { queueId: 'REDELIVERY01', body: sampleMessage('Twice', 3000), localRecipients: ['bob@example.test'] });
    await publishClassified(system.bus, event, 'REDELIVERY01-a');
    const second = await publishClassified(system.bus, event, 'REDELIVERY01-b');
    expect(second.duplicate).toBe(false);
    const stream = system.bus.ns.streamName(Streams.inbound);
    await waitFor(
      async () => {
        const info = await system.bus.jsm.consumers.info(stream, 'mailbox-store');
        return info.ack_floor.stream_seq >= second.seq && info.num_ack_pending === 0;
      },
      { description: 'both deliveries acked' },
    );
    const { rows } = await system.db.query("SELECT count(*)::int AS n FROM mailbox_entries WHERE message_id = 'REDELIVERY01'");
    expect(rows[0]).toEqual({ n: 1 });
    expect((await entriesOf('bob@example.test')).length).toBe(1);
  });

  it('skips a recipient whose user no longer exists and reports it', async () => {
    const event = await classifiedMail(system.bus, { queueId: 'GHOSTUSER001', body: sampleMessage('Hello ghost', 1000), localRecipients: ['ghost@example.test', 'carol@example.test'] });
    await publishClassified(system.bus, event);
    await waitFor(async () => (await entriesOf('carol@example.test')).length === 1, { description: "carol's entry" });
    // The stream holds the earlier tests' events too: read on until this message's two have come.
    const consumer = await system.bus.js.consumers.get(system.bus.ns.streamName(Streams.events));
    const outcomes: string[] = [];
    await waitFor(
      async () => {
        const batch = await consumer.fetch({ max_messages: 100, expires: 1_000 });
        for await (const msg of batch) {
          const event = msg.json<{ recipient: string; outcome: string; queueId: string }>();
          if (event.queueId === 'GHOSTUSER001') outcomes.push(`${event.recipient} ${event.outcome}`);
        }
        return outcomes.length >= 2;
      },
      { description: 'both delivery events of GHOSTUSER001' },
    );
    expect(outcomes.sort()).toEqual(['carol@example.test stored', 'ghost@example.test rejected']);
  });
});
