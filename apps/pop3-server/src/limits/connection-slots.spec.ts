// Tests of connection-slots.ts: the refusals and the key of a network's slots.
import { describe, expect, it } from 'vitest';
import { connectionRefusedError, connectionSlotKey, unlimitedConnectionSlots } from './connection-slots';

describe('connection slots', () => {
  it('refuses with -ERR [SYS/TEMP] saying which limit was reached', () => {
    expect(connectionRefusedError('per-ip').toResponse()).toBe('-ERR [SYS/TEMP] too many connections from your address, try again later\r\n');
    expect(connectionRefusedError('capacity').toResponse()).toBe('-ERR [SYS/TEMP] too many open connections on this server, try again later\r\n');
  });

  it('keys slots by client network and admits everyone when unlimited', async () => {
    expect(connectionSlotKey('2001:db8:0:1::/64')).toBe('pop3:conn:open:2001:db8:0:1::/64');
    const admission = await unlimitedConnectionSlots.acquire('192.0.2.1', 'session');
    expect(admission.admitted).toBe(true);
  });
});
