// Tests of fetch-batches.ts: small messages grouped into mailbox.fetch-many batches, handed out in order with the next
// batch read ahead, about one and a half batches held; large, missing or mis-sized messages and failed batches left to streaming.
import { FETCH_MESSAGES_MAX_UIDS } from '@mail/contracts';
import { parseCommand, type FetchItem } from '@mail/imap';
import type { CommandOf } from '../session/command-context';
import { describe, expect, it } from 'vitest';
import { BATCH_MESSAGE_MAX_OCTETS, BATCH_OCTETS, FetchBatches, planBatches, readerWith, readsWholeMessages } from './fetch-batches';

const message = (key: string, size: number) => ({ key, size });

/** A store of messages `key` → `size` octets of its key's first letter; the requests it was asked are kept. */
function storeOf(messages: readonly { key: string; size: number }[], options: { fail?: boolean; drop?: string } = {}) {
  const requests: string[][] = [];
  const store = {
    readMessages: async (_user: string, keys: readonly string[], maxOctets: number) => {
      requests.push([...keys]);
      if (options.fail === true) throw new Error('mailbox-store is down');
      const answered = new Map<string, Buffer>();
      for (const key of keys) {
        const found = messages.find((m) => m.key === key);
        if (found === undefined || key === options.drop) continue;
        answered.set(key, Buffer.alloc(found.size, key[0]));
      }
      expect([...answered.values()].reduce((sum, data) => sum + data.length, 0)).toBeLessThanOrEqual(maxOctets);
      return answered;
    },
  };
  return { store, requests };
}

function itemsOf(text: string): readonly FetchItem[] {
  const command = parseCommand({ lines: [Buffer.from(`a FETCH 1:* ${text}`)], literals: [] }, { utf8: false, delimiter: '/' }) as CommandOf<'FETCH'>;
  return command.items;
}

describe('readsWholeMessages', () => {
  it('is true for sections, RFC822 and what needs the MIME structure, false for metadata alone', () => {
    expect(readsWholeMessages(itemsOf('BODY.PEEK[]'))).toBe(true);
    expect(readsWholeMessages(itemsOf('RFC822'))).toBe(true);
    expect(readsWholeMessages(itemsOf('BODYSTRUCTURE'))).toBe(true);
    expect(readsWholeMessages(itemsOf('(FLAGS UID RFC822.SIZE ENVELOPE)'))).toBe(false);
  });
});

describe('planBatches', () => {
  it('leaves out large messages and closes a batch at BATCH_OCTETS or FETCH_MESSAGES_MAX_UIDS', () => {
    const small = BATCH_MESSAGE_MAX_OCTETS;
    const fill = Array.from({ length: BATCH_OCTETS / small }, (_, i) => message(`f${i}`, small));
    expect(planBatches([...fill, message('big', small + 1), message('c', 1)])).toEqual([fill.map((m) => m.key), ['c']]);
    const many = Array.from({ length: FETCH_MESSAGES_MAX_UIDS + 1 }, (_, i) => message(`m${i}`, 10));
    expect(planBatches(many).map((keys) => keys.length)).toEqual([FETCH_MESSAGES_MAX_UIDS, 1]);
  });
});

describe('FetchBatches', () => {
  it('hands out each small message once, in order, asking each batch once and holding at most one and a half batches', async () => {
    const size = 60 * 1024;
    const messages = Array.from({ length: 30 }, (_, i) => message(`${String.fromCharCode(97 + (i % 26))}${i}`, size));
    const { store, requests } = storeOf(messages);
    const batches = new FetchBatches(store, 'bob@example.test', messages);
    let mostHeld = 0;
    for (const m of messages) {
      const data = await batches.take(m);
      expect(data?.equals(Buffer.alloc(size, m.key[0]))).toBe(true);
      mostHeld = Math.max(mostHeld, batches.heldOctets);
    }
    expect(requests).toEqual(planBatches(messages));
    expect(requests.length).toBeGreaterThan(2);
    expect(mostHeld).toBeLessThanOrEqual(BATCH_OCTETS * 1.5);
  });

  it('leaves to streaming a large message, one the batch did not bring, and all of a failed batch', async () => {
    const messages = [message('a', 10), message('big', BATCH_MESSAGE_MAX_OCTETS + 1), message('gone', 10)];
    const { store } = storeOf(messages, { drop: 'gone' });
    const batches = new FetchBatches(store, 'bob@example.test', messages);
    expect(await batches.take(messages[0] as { key: string; size: number })).toEqual(Buffer.alloc(10, 'a'));
    expect(await batches.take(messages[1] as { key: string; size: number })).toBeUndefined();
    expect(await batches.take(messages[2] as { key: string; size: number })).toBeUndefined();

    const failing = new FetchBatches(storeOf(messages, { fail: true }).store, 'bob@example.test', messages);
    expect(await failing.take(messages[0] as { key: string; size: number })).toBeUndefined();
  });

  it('leaves to streaming a message whose stored size is not the one its metadata says', async () => {
    const { store } = storeOf([message('a', 12)]);
    const batches = new FetchBatches(store, 'bob@example.test', [message('a', 10)]);
    expect(await batches.take(message('a', 10))).toBeUndefined();
  });
});

describe('readerWith', () => {
  it('answers ranges of the held message from memory and asks the store for any other', async () => {
    const asked: string[] = [];
    const store = {
      readRange: async function* (_user: string, key: string) {
        asked.push(key);
        yield Buffer.from('other');
      },
    };
    const reader = readerWith(store, 'k1', Buffer.from('Subject: x\r\n\r\nbody'));
    const read = async (key: string, start: number, end: number) => {
      const chunks: Buffer[] = [];
      for await (const chunk of reader.readRange('bob@example.test', key, start, end)) chunks.push(chunk);
      return Buffer.concat(chunks).toString();
    };
    expect(await read('k1', 0, 10)).toBe('Subject: x');
    expect(await read('k1', 14, 18)).toBe('body');
    expect(await read('k2', 0, 5)).toBe('other');
    expect(asked).toEqual(['k2']);
  });
});
