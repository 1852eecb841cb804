/** Integration: `mailbox.fetch-many` (RETR prefetch) answers whole messages in the asked order, bounded in octets, only the user's own; one base64 string per message, all in one (`packed`), or raw as the reply's attachment (`attachment`). */
import { Requests } from '@mail/contracts';
import { waitFor } from '@mail/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifiedMail, expectedStoredBytes, publishClassified, sampleMessage } from './fixtures/classified-mail';
import { createTestSystem, type TestSystem } from './fixtures/test-system';

describe('fetching several whole messages in one request', () => {
  let system: TestSystem;
  /** The stored bytes of erin's three messages, by uid, in delivery order. */
  const stored: { uid: string; bytes: Buffer }[] = [];
  let franksUid = '';

  async function deliver(queueId: string, size: number, recipient: string): Promise<{ uid: string; bytes: Buffer }> {
    const body = sampleMessage(queueId, size);
    const event = await classifiedMail(system.bus, { queueId, body, localRecipients: [recipient] });
    await publishClassified(system.bus, event);
    const known = new Set(stored.map((message) => message.uid));
    const entry = await waitFor(async () => (await system.bus.request(Requests.listMailbox, { version: 1, user: recipient, folders: ['INBOX'] })).entries.find((e) => !known.has(e.uid)), {
      timeoutMs: 60_000,
      description: `${queueId} stored`,
    });
    return { uid: entry.uid, bytes: expectedStoredBytes(event, body) };
  }

  beforeAll(async () => {
    system = await createTestSystem('mbx_fetch_many');
    await system.start();
    await system.admin({ version: 1, op: 'domain.add', domain: 'example.test' });
    for (const user of ['erin', 'frank']) await system.admin({ version: 1, op: 'user.add', address: `${user}@example.test`, password: 'pw' });
    stored.push(await deliver('FETCHMANY001', 1000, 'erin@example.test'));
    stored.push(await deliver('FETCHMANY002', 3000, 'erin@example.test'));
    stored.push(await deliver('FETCHMANY003', 2000, 'erin@example.test'));
    franksUid = (await deliver('FETCHMANY004', 1500, 'frank@example.test')).uid;
  });
  afterAll(() => system?.cleanup());

  const fetchMany = (uids: string[], maxOctets: number, user = 'Erin@Example.test') => system.bus.request(Requests.fetchMessages, { version: 1, user, uids, maxOctets });
  const decoded = (reply: Awaited<ReturnType<typeof fetchMany>>) => reply.messages.map((message) => ({ uid: message.uid, size: message.size, bytes: Buffer.from(message.data, 'base64') }));
  const fetchPacked = (uids: string[], maxOctets: number) => system.bus.request(Requests.fetchMessages, { version: 1, user: 'erin@example.test', uids, maxOctets, packed: true });
  /** The packed reply cut back into messages by their sizes; the sizes must cover the data exactly. */
  const unpacked = (reply: Awaited<ReturnType<typeof fetchPacked>>) => {
    expect(reply.messages).toEqual([]);
    const data = Buffer.from(reply.packed?.data ?? '', 'base64');
    let offset = 0;
    const messages = (reply.packed?.messages ?? []).map((message) => ({ uid: message.uid, bytes: data.subarray(offset, (offset += message.size)) }));
    expect(offset).toBe(data.length);
    return messages;
  };

  it('answers the asked messages byte for byte, in the asked order, leaving out uids the user has no entry for', async () => {
    const [first, second, third] = stored;
    if (!first || !second || !third) throw new Error('three messages expected');
    const reply = decoded(await fetchMany([third.uid, 'unknown-uid', first.uid, franksUid, second.uid], 512 * 1024));
    expect(reply.map((message) => message.uid)).toEqual([third.uid, first.uid, second.uid]);
    for (const [index, expected] of [third, first, second].entries()) {
      expect(reply[index]?.bytes.equals(expected.bytes)).toBe(true);
      expect(reply[index]?.size).toBe(expected.bytes.length);
    }
  });

  it('stops before the first message that would take the reply over maxOctets', async () => {
    const [first, second, third] = stored;
    if (!first || !second || !third) throw new Error('three messages expected');
    const bound = first.bytes.length + third.bytes.length;
    expect(decoded(await fetchMany([first.uid, third.uid, second.uid], bound)).map((m) => m.uid)).toEqual([first.uid, third.uid]);
    expect(decoded(await fetchMany([first.uid, second.uid, third.uid], bound)).map((m) => m.uid)).toEqual([first.uid]);
    expect((await fetchMany([second.uid], second.bytes.length - 1)).messages).toEqual([]);
  });

  const fetchAttached = (uids: string[], maxOctets: number) =>
    system.bus.requestWithAttachment(Requests.fetchMessages, { version: 1, user: 'erin@example.test', uids, maxOctets, packed: true, attachment: true });
  /** The attached reply cut back into messages by their sizes; the sizes must cover the attachment exactly. */
  const detached = ({ response, attachment }: Awaited<ReturnType<typeof fetchAttached>>) => {
    expect(response.messages).toEqual([]);
    expect(response.packed).toBeUndefined();
    expect(attachment).toBeInstanceOf(Uint8Array);
    const data = Buffer.from(attachment ?? new Uint8Array());
    let offset = 0;
    const messages = (response.attached?.messages ?? []).map((message) => ({ uid: message.uid, bytes: data.subarray(offset, (offset += message.size)) }));
    expect(offset).toBe(data.length);
    return messages;
  };

  it('answers the same messages as raw octets after the JSON when asked for an attachment, bounded the same way', async () => {
    const [first, second, third] = stored;
    if (!first || !second || !third) throw new Error('three messages expected');
    const reply = detached(await fetchAttached([third.uid, 'unknown-uid', first.uid, franksUid, second.uid], 512 * 1024));
    expect(reply.map((message) => message.uid)).toEqual([third.uid, first.uid, second.uid]);
    for (const [index, expected] of [third, first, second].entries()) expect(reply[index]?.bytes.equals(expected.bytes)).toBe(true);
    expect(detached(await fetchAttached([first.uid, second.uid, third.uid], first.bytes.length + third.bytes.length)).map((m) => m.uid)).toEqual([first.uid]);
    expect(detached(await fetchAttached([second.uid], second.bytes.length - 1))).toEqual([]);
  });

  it('answers the same messages packed in one base64 string when asked, bounded the same way', async () => {
    const [first, second, third] = stored;
    if (!first || !second || !third) throw new Error('three messages expected');
    const reply = unpacked(await fetchPacked([third.uid, 'unknown-uid', first.uid, franksUid, second.uid], 512 * 1024));
    expect(reply.map((message) => message.uid)).toEqual([third.uid, first.uid, second.uid]);
    for (const [index, expected] of [third, first, second].entries()) expect(reply[index]?.bytes.equals(expected.bytes)).toBe(true);
    expect(unpacked(await fetchPacked([first.uid, second.uid, third.uid], first.bytes.length + third.bytes.length)).map((m) => m.uid)).toEqual([first.uid]);
    expect(unpacked(await fetchPacked([second.uid], second.bytes.length - 1))).toEqual([]);
  });
});
