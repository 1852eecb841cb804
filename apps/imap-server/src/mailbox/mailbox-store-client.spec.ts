// Tests of mailbox-store-client.ts: each refusal of mailbox-store as the IMAP answer it means, UNAVAILABLE only for failures of the server side, and a request the contract rejects as NO [LIMIT] naming the field.
import { describe, expect, it } from 'vitest';
import { RemoteError, RequestFailedError, type Bus } from '@mail/bus';
import { ImapResponseError } from '@mail/imap';
import { BusMailboxStoreClient, storeRefusal } from './mailbox-store-client';

const refusal = (error: unknown): string => {
  const mapped = storeRefusal('change flags', error);
  return mapped instanceof ImapResponseError ? `${mapped.message}${mapped.userFault ? '' : ' (server)'}` : 'passed through';
};

describe('storeRefusal', () => {
  it.each([
    ['unknown-folder', 'NO [NONEXISTENT] No such mailbox'],
    ['unknown-message', 'NO [EXPUNGEISSUED] The message no longer exists (server)'],
    ['over-quota', 'NO [OVERQUOTA] The mailbox is over its quota'],
    ['folder-exists', 'NO [ALREADYEXISTS] A mailbox with that name exists already'],
    ['folder-protected', 'NO [CANNOT] This mailbox cannot be deleted or renamed'],
    ['invalid-folder', 'NO [CANNOT] Not a valid mailbox name'],
    ['invalid-search', 'NO [LIMIT] The search is nested deeper than this server takes'],
    ['unknown-user', 'BYE The account no longer exists'],
    ['bad-request', 'NO [SERVERBUG] Cannot change flags: internal error (server)'],
    ['internal', 'NO [UNAVAILABLE] Cannot change flags right now, try again later (server)'],
    ['corrupt-body', 'NO [UNAVAILABLE] Cannot change flags right now, try again later (server)'],
  ])('answers %s as %s', (code, answer) => {
    expect(refusal(new RemoteError(code, 'detail'))).toBe(answer);
  });

  it('answers a request without a valid answer (timeout, no responders) as UNAVAILABLE, and lets other errors through', () => {
    expect(refusal(new RequestFailedError('mail.v1.messages.store', 'timeout'))).toBe('NO [UNAVAILABLE] Cannot change flags right now, try again later (server)');
    expect(refusal(new TypeError('bug'))).toBe('passed through');
  });
});

describe('BusMailboxStoreClient', () => {
  /** A bus that refuses what the contract rejects as the real one does (sendRequest), and otherwise times out. */
  const bus = {
    request: async (definition: { request: { safeParse(value: unknown): { success: boolean } } }, payload: unknown) => {
      if (!definition.request.safeParse(payload).success) throw new RequestFailedError('subject', 'refusing to send an invalid request');
      throw new RequestFailedError('subject', 'timeout');
    },
  } as unknown as Pick<Bus, 'request' | 'requestWithAttachment' | 'bodies'>;
  const client = new BusMailboxStoreClient(bus, { timeoutMs: 100 });
  const uids = [{ first: 1, last: 1 }];

  it('answers a value past what the contract takes NO [LIMIT], naming the field and the bound', async () => {
    const flags = Array.from({ length: 101 }, (_, i) => `k${i}`);
    const error = await client.storeFlags({ user: 'bob@example.test', folder: 'INBOX', uids, action: 'add', flags }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImapResponseError);
    expect((error as ImapResponseError).code).toBe('LIMIT');
    expect((error as ImapResponseError).message).toMatch(/^NO \[LIMIT\] Cannot change flags: .*100.* \(flags\)$/);
    expect((error as ImapResponseError).userFault).toBe(true);
  });

  it('answers a request the contract takes but nobody answered UNAVAILABLE', async () => {
    const error = await client.storeFlags({ user: 'bob@example.test', folder: 'INBOX', uids, action: 'add', flags: ['\\Seen'] }).catch((e: unknown) => e);
    expect((error as ImapResponseError).message).toBe('NO [UNAVAILABLE] Cannot change flags right now, try again later');
  });

  it('reads the messages of an attached fetch-many reply, and answers one whose sizes do not cover its octets UNAVAILABLE', async () => {
    const answering = (announced: number) =>
      new BusMailboxStoreClient(
        {
          requestWithAttachment: async () => ({ response: { messages: [], attached: { messages: [{ uid: 'k1', size: announced }] } }, attachment: Buffer.from('hello\r\n') }),
        } as unknown as Pick<Bus, 'request' | 'requestWithAttachment' | 'bodies'>,
        { timeoutMs: 100 },
      );
    const messages = await answering(7).readMessages('bob@example.test', ['k1'], 1_000);
    expect(messages.get('k1')?.toString()).toBe('hello\r\n');
    const error = await answering(6)
      .readMessages('bob@example.test', ['k1'], 1_000)
      .catch((e: unknown) => e);
    expect((error as ImapResponseError).message).toBe('NO [UNAVAILABLE] Cannot read the messages right now, try again later');
  });
});
