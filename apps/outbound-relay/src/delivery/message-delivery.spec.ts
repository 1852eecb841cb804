import { describe, expect, it } from 'vitest';
import { FakeResolver } from '@mail/dns/testing';
import type { DomainSlots } from './domain-slots';
import type { AttemptHost } from './host-attempt';
import { deliverMessage } from './message-delivery';

const dns = new FakeResolver().records('remote.test', 'MX', { preference: 10, exchange: 'mx.remote.test' }).records('mx.remote.test', 'A', { address: '127.0.0.2' });
const accepted: AttemptHost = async (target, recipients) => ({
  target,
  transactions: 1,
  results: recipients.map((recipient) => ({ recipient, status: 'delivered' as const, reply: { code: 250, lines: ['ok'] }, stage: 'end of data' as const })),
});

describe('deliverMessage with per-domain slots', () => {
  it('keeps the outcomes of a delivery whose slot cannot be released (Redis down), so nothing is sent twice', async () => {
    const slots: DomainSlots = { acquire: async () => ({ release: () => Promise.reject(new Error('Connection is closed.')) }) };
    const outcomes = await deliverMessage('sender@local.test', ['friend@remote.test'], accepted, { resolver: dns, port: 25, slots });
    expect(outcomes.map((o) => [o.recipient, o.status])).toEqual([['friend@remote.test', 'delivered']]);
  });

  it('answers throttled, without trying, when the domain has no free slot', async () => {
    const slots: DomainSlots = { acquire: async () => undefined };
    const outcomes = await deliverMessage('sender@local.test', ['friend@remote.test'], accepted, { resolver: dns, port: 25, slots });
    expect(outcomes).toMatchObject([{ recipient: 'friend@remote.test', status: 'temporary', throttled: true }]);
  });
});

describe('deliverMessage handing over each destination’s outcomes', () => {
  it('starts no other destination once the outcomes of one cannot be handed over (recorded): they would go out again', async () => {
    const domains = Array.from({ length: 12 }, (_, i) => `d${i}.test`);
    const resolver = new FakeResolver();
    for (const domain of domains) resolver.records(domain, 'MX', { preference: 10, exchange: `mx.${domain}` }).records(`mx.${domain}`, 'A', { address: '127.0.0.2' });
    let attempts = 0;
    const counting: AttemptHost = async (target, recipients) => {
      attempts++;
      return accepted(target, recipients);
    };
    // The first hand-over fails; the destinations under way meanwhile hand theirs over
    let handOvers = 0;
    const failing = async () => {
      if (handOvers++ === 0) throw new Error('Redis gone');
    };
    const recipients = domains.map((domain) => `friend@${domain}`);
    await expect(deliverMessage('sender@local.test', recipients, counting, { resolver, port: 25 }, failing)).rejects.toThrow('Redis gone');
    // The destinations already under way finish; none is started after the failure
    expect(attempts).toBeLessThan(domains.length);
  });
});
