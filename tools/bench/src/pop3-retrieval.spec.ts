// Tests of pop3-retrieval.ts's pure pieces: sessions in a row, and the steady-state rate of the later ones.
import { describe, expect, it } from 'vitest';
import { laterSessionsRate, retrieveInSessions, type Pop3Retrieval } from './pop3-retrieval';

const session = (messages: number, milliseconds: number): Pop3Retrieval => ({ messages, octets: messages * 2_000, milliseconds });

describe('laterSessionsRate', () => {
  it('is the median rate of the sessions after the first, which it leaves out', () => {
    // 1,000 RETR/s cold, then 4,000, 2,000 and 5,000: the median of the later three is 4,000
    expect(laterSessionsRate([session(1_000, 1_000), session(4_000, 1_000), session(2_000, 1_000), session(5_000, 1_000)])).toBe(4_000);
  });

  it('has nothing to say about a single session', () => {
    expect(laterSessionsRate([session(1_000, 500)])).toBeUndefined();
    expect(laterSessionsRate([])).toBeUndefined();
  });
});

describe('retrieveInSessions', () => {
  it('runs the sessions one after the other, the first inside the measurement it is given', async () => {
    const order: string[] = [];
    let n = 0;
    const retrieve = async () => {
      order.push(`session ${++n}`);
      return session(10, n);
    };
    const sessions = await retrieveInSessions(3, retrieve, async (first) => {
      order.push('before');
      const result = await first();
      order.push('after');
      return result;
    });
    expect(order).toEqual(['before', 'session 1', 'after', 'session 2', 'session 3']);
    expect(sessions.map((s) => s.milliseconds)).toEqual([1, 2, 3]);
  });
});
