import { describe, expect, it } from 'vitest';
import { parseAllowList } from '../allow/allow-list';
import type { DnsblOutcome } from '../dnsbl/dnsbl-checker';
import { ruleScores } from '../verdict/rule-scores';
import { answerTtlSeconds, createScreenHandler } from './screen-client';

const zone = (name: string, weight: number, listed: boolean) => ({ zone: name, weight, listed, codes: listed ? ['127.0.0.2'] : [], cached: false });

function handler(outcome: DnsblOutcome, rejectScore = 10) {
  const asked: { ip: string; deadline?: number }[] = [];
  const screen = createScreenHandler({
    dnsbl: { check: async (ip, deadline) => (asked.push({ ip, ...(deadline === undefined ? {} : { deadline }) }), outcome) },
    allowList: parseAllowList(['@friends.test'], ['192.0.2.0/24']),
    rejectScore,
    timeoutMs: 1200,
    scores: ruleScores(),
  });
  return { screen, asked };
}

describe('screen-client', () => {
  it('rejects at the reject score, naming the lists by weight, asked with the deadline', async () => {
    const { screen, asked } = handler({ results: [zone('small.test', 2, true), zone('big.test', 9, true), zone('clean.test', 5, false)], unchecked: false, score: 11 });
    expect(await screen({ version: 1, clientIp: '::ffff:203.0.113.5' })).toMatchObject({
      action: 'reject',
      score: 11,
      text: 'Service unavailable; client [203.0.113.5] blocked using big.test, small.test',
      reasons: [
        { rule: 'RCVD_IN_SMALL_TEST', score: 2 },
        { rule: 'RCVD_IN_BIG_TEST', score: 9 },
      ],
    });
    expect(asked).toEqual([{ ip: '203.0.113.5', deadline: 1200 }]);
  });

  it('accepts below the reject score, and never rejects without a listing', async () => {
    expect(await handler({ results: [zone('big.test', 9, true)], unchecked: false, score: 9 }).screen({ version: 1, clientIp: '203.0.113.5' })).toMatchObject({ action: 'accept', score: 9 });
    expect(await handler({ results: [], unchecked: false, score: 0, skipped: 'no-zones' }, 0).screen({ version: 1, clientIp: '203.0.113.5' })).toMatchObject({ action: 'accept' });
  });

  it('accepts allow-listed clients and senders without asking the lists', async () => {
    const { screen, asked } = handler({ results: [zone('big.test', 20, true)], unchecked: false, score: 20 });
    expect(await screen({ version: 1, clientIp: '192.0.2.7' })).toMatchObject({ action: 'accept', score: -100, reasons: [{ rule: 'ALLOWLISTED' }] });
    expect(await screen({ version: 1, clientIp: '203.0.113.5', mailFrom: 'pal@friends.test' })).toMatchObject({ action: 'accept', reasons: [{ rule: 'ALLOWLISTED' }] });
    expect(asked).toEqual([]);
  });

  it('accepts, marked unchecked, when no zone answered', async () => {
    const outcome = { results: [{ ...zone('slow.test', 20, false), error: 'no answer before the deadline' }], unchecked: true, score: 0 };
    expect(await handler(outcome).screen({ version: 1, clientIp: '203.0.113.5' })).toMatchObject({ action: 'accept', reasons: [{ rule: 'DNSBL_UNCHECKED' }] });
  });

  it('says how long the answer holds: the least remaining TTL of the zones, none when a zone gave no answer', async () => {
    const now = Date.now();
    const timed = (name: string, listed: boolean, inSeconds: number) => ({ ...zone(name, 5, listed), expiresAt: now + inSeconds * 1000 });
    expect(answerTtlSeconds({ results: [timed('a.test', true, 600), timed('b.test', false, 90.5)], unchecked: false, score: 5 }, now)).toBe(90);
    expect(answerTtlSeconds({ results: [timed('a.test', true, 600), { ...zone('slow.test', 5, false), error: 'timeout' }], unchecked: false, score: 5 }, now)).toBe(0);
    expect(answerTtlSeconds({ results: [zone('old-cache.test', 5, false)], unchecked: false, score: 0 }, now)).toBe(0);
    expect(answerTtlSeconds({ results: [], unchecked: false, score: 0, skipped: 'private-address' }, now)).toBe(300);
    const rejected = await handler({ results: [{ ...timed('big.test', true, 120), weight: 20 }], unchecked: false, score: 20 }).screen({ version: 1, clientIp: '203.0.113.5' });
    expect(rejected.action).toBe('reject');
    expect(rejected.ttlSeconds).toBeGreaterThanOrEqual(118);
    expect(rejected.ttlSeconds).toBeLessThanOrEqual(120);
  });

  it('lets an allow-listed address be reused, a sender match not', async () => {
    const { screen } = handler({ results: [], unchecked: false, score: 0 });
    expect(await screen({ version: 1, clientIp: '192.0.2.7' })).toMatchObject({ action: 'accept', ttlSeconds: 300 });
    expect(await screen({ version: 1, clientIp: '203.0.113.5', mailFrom: 'pal@friends.test' })).not.toHaveProperty('ttlSeconds');
  });
});
