// Tests of mailbox-store-client.ts's unpacking of a fetch-many reply's octets (attached, or packed in base64): each message its own octets, sizes that must cover the data.
import { Pop3ResponseError } from '@mail/pop3';
import { describe, expect, it } from 'vitest';
import { unpackMessages } from './mailbox-store-client';

const packedOf = (...bodies: [string, string][]) => ({
  data: Buffer.concat(bodies.map(([, body]) => Buffer.from(body, 'latin1'))),
  messages: bodies.map(([uid, body]) => ({ uid, size: Buffer.byteLength(body, 'latin1') })),
});
const unpacked = ({ data, messages }: ReturnType<typeof packedOf>) => unpackMessages(data, messages);

describe('unpackMessages', () => {
  it('cuts the data into the messages by their sizes, in order, each a copy of its own octets', () => {
    const messages = unpacked(packedOf(['a', 'first\r\n'], ['b', ''], ['c', '.third\r\n\xff']));
    expect([...messages.keys()]).toEqual(['a', 'b', 'c']);
    expect(messages.get('a')?.toString('latin1')).toBe('first\r\n');
    expect(messages.get('b')?.length).toBe(0);
    expect(messages.get('c')?.toString('latin1')).toBe('.third\r\n\xff');
  });

  it('copies each message out of the reply, so one left in the prefetch cache does not hold the whole reply', () => {
    const large = 'x'.repeat(200 * 1024);
    const messages = unpacked(packedOf(['a', large], ['b', large], ['c', large]));
    for (const message of messages.values()) expect(message.buffer.byteLength).toBeLessThan(2 * large.length);
  });

  it('refuses a reply whose sizes do not add up to its data, as a temporary failure', () => {
    const packed = packedOf(['a', 'first\r\n'], ['b', 'second\r\n']);
    for (const messages of [packed.messages.slice(0, 1), [...packed.messages, { uid: 'c', size: 1 }], []]) {
      expect(() => unpackMessages(packed.data, messages)).toThrow(Pop3ResponseError);
    }
    expect(() => unpackMessages(packed.data, packed.messages.slice(1))).toThrow(/^cannot read messages right now/);
    try {
      unpackMessages(packed.data, packed.messages.slice(1));
      expect.unreachable();
    } catch (error) {
      expect((error as Pop3ResponseError).toResponse()).toMatch(/^-ERR \[SYS\/TEMP\] /);
    }
  });
});
