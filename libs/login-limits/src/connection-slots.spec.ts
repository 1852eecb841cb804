// Tests of connection-slots.ts: the key of a network's slots per protocol, and the unlimited slots.
import { describe, expect, it } from 'vitest';
import { RedisConnectionSlots, connectionSlotKey, unlimitedConnectionSlots } from './connection-slots';

describe('connection slots', () => {
  it('keys slots by protocol and client network', () => {
    expect(connectionSlotKey('pop3', '2001:db8:0:1::/64')).toBe('pop3:conn:open:2001:db8:0:1::/64');
    expect(connectionSlotKey('imap', '192.0.2.1')).toBe('imap:conn:open:192.0.2.1');
  });

  it('admits everyone when unlimited, or with a limit of 0 without asking Redis', async () => {
    expect((await unlimitedConnectionSlots.acquire('192.0.2.1', 'session')).admitted).toBe(true);
    const unused = new Proxy({}, { get: () => () => Promise.reject(new Error('Redis asked')) });
    const warnings: string[] = [];
    const slots = new RedisConnectionSlots(unused as never, { keyPrefix: 'imap', maxPerNetwork: 0, log: { warn: (_, msg) => void warnings.push(msg) } });
    const admission = await slots.acquire('192.0.2.1', 'session');
    expect(admission.admitted).toBe(true);
    expect(warnings).toEqual([]);
  });
});
