// Tests of connection-slots.ts: the refusals.
import { describe, expect, it } from 'vitest';
import { connectionRefusedError } from './connection-slots';

describe('connection slots', () => {
  it('refuses with -ERR [SYS/TEMP] saying which limit was reached', () => {
    expect(connectionRefusedError('per-ip').toResponse()).toBe('-ERR [SYS/TEMP] too many connections from your address, try again later\r\n');
    expect(connectionRefusedError('capacity').toResponse()).toBe('-ERR [SYS/TEMP] too many open connections on this server, try again later\r\n');
  });
});
