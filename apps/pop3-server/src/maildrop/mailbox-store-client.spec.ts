// Tests of mailbox-store-client.ts's readMessages: a fetch-many reply read into messages (@mail/contracts fetchedMessages), and one that cannot be read answered as a temporary failure.
import type { Bus } from '@mail/bus';
import { Pop3ResponseError } from '@mail/pop3';
import { describe, expect, it } from 'vitest';
import { BusMailboxStoreClient } from './mailbox-store-client';

const octets = Buffer.from('first\r\nsecond\r\n', 'latin1');

/** A client over a bus whose fetch-many answers `response` with `attachment`. */
function clientAnswering(response: object, attachment?: Buffer): BusMailboxStoreClient {
  const bus = { requestWithAttachment: async () => ({ response, attachment }) } as unknown as Bus;
  return new BusMailboxStoreClient(bus, { timeoutMs: 1_000 });
}

describe('BusMailboxStoreClient.readMessages', () => {
  it('reads the messages of an attached reply', async () => {
    const client = clientAnswering(
      {
        messages: [],
        attached: {
          messages: [
            { uid: 'a', size: 7 },
            { uid: 'b', size: 8 },
          ],
        },
      },
      octets,
    );
    const messages = await client.readMessages('bob@example.test', ['a', 'b'], 1_000);
    expect([...messages].map(([uid, data]) => [uid, data.toString('latin1')])).toEqual([
      ['a', 'first\r\n'],
      ['b', 'second\r\n'],
    ]);
  });

  it('answers -ERR [SYS/TEMP] for a reply whose sizes do not cover its octets, or that lost its attachment', async () => {
    for (const client of [
      clientAnswering({ messages: [], attached: { messages: [{ uid: 'a', size: 7 }] } }, octets),
      clientAnswering({ messages: [], attached: { messages: [{ uid: 'a', size: 7 }] } }),
    ]) {
      const refusal = await client.readMessages('bob@example.test', ['a'], 1_000).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(Pop3ResponseError);
      expect((refusal as Pop3ResponseError).toResponse()).toMatch(/^-ERR \[SYS\/TEMP\] cannot read messages right now/);
    }
  });
});
