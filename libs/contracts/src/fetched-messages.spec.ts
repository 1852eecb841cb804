/** Tests of fetched-messages.ts: every form of a fetch-many reply read the same, each message its own octets, sizes that must cover the data. */
import { describe, expect, it } from 'vitest';
import { FetchedMessagesError, fetchedMessages, splitMessages } from './fetched-messages';

const bodies: [string, string][] = [
  ['a', 'first\r\n'],
  ['b', ''],
  ['c', '.third\r\n\xff'],
];
const octets = Buffer.concat(bodies.map(([, body]) => Buffer.from(body, 'latin1')));
const sizes = bodies.map(([uid, body]) => ({ uid, size: Buffer.byteLength(body, 'latin1') }));
const asText = (messages: Map<string, Buffer>) => [...messages].map(([uid, data]) => [uid, data.toString('latin1')]);

describe('fetchedMessages', () => {
  it('reads the attached, packed and per-message forms alike', () => {
    const expected = bodies;
    expect(asText(fetchedMessages({ messages: [], attached: { messages: sizes } }, octets))).toEqual(expected);
    expect(asText(fetchedMessages({ messages: [], packed: { data: octets.toString('base64'), messages: sizes } }))).toEqual(expected);
    const perMessage = bodies.map(([uid, body]) => ({ uid, data: Buffer.from(body, 'latin1').toString('base64'), size: body.length }));
    expect(asText(fetchedMessages({ messages: perMessage }))).toEqual(expected);
  });

  it('refuses an attached reply that came without its attachment', () => {
    expect(() => fetchedMessages({ messages: [], attached: { messages: sizes } })).toThrow(FetchedMessagesError);
  });
});

describe('splitMessages', () => {
  it('copies each message out of the reply, so one kept does not hold the whole reply', () => {
    const large = 'x'.repeat(200 * 1024);
    const data = Buffer.from(large.repeat(3));
    const messages = splitMessages(
      data,
      ['a', 'b', 'c'].map((uid) => ({ uid, size: large.length })),
    );
    for (const message of messages.values()) expect(message.buffer.byteLength).toBeLessThan(2 * large.length);
  });

  it('refuses a reply whose sizes do not add up to its data', () => {
    for (const announced of [sizes.slice(0, 1), [...sizes, { uid: 'd', size: 1 }], []]) {
      expect(() => splitMessages(octets, announced)).toThrow(/^a reply of 16 octets announced \d+$/);
    }
  });
});
