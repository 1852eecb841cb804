// Tests of queue-id.ts: base32 and queue id shape.
import { QueueId } from '@mail/contracts';
import { describe, expect, it } from 'vitest';
import { base32, newQueueId } from './queue-id';

describe('base32', () => {
  it('matches the RFC 4648 §10 test vectors (without padding)', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [input, output] of vectors) expect(base32(Buffer.from(input))).toBe(output);
  });
});

describe('newQueueId', () => {
  it('is 24 URL-safe characters that satisfy the QueueId contract, and unique across refills of its random pool', () => {
    const ids = new Set(Array.from({ length: 1000 }, newQueueId));
    expect(ids.size).toBe(1000);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Z2-7]{24}$/);
      expect(QueueId.safeParse(id).success).toBe(true);
    }
  });
});
