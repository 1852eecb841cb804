// Tests of connection-capacity.ts: the reply to a connection over SMTP_MAX_CONNECTIONS.
import { describe, expect, it } from 'vitest';
import { capacityReply } from './connection-capacity';

describe('capacityReply', () => {
  it('is 421 4.3.2 naming the server, distinct from the per-IP refusal', () => {
    expect(capacityReply('mx.example.test')).toBe('421 4.3.2 mx.example.test Too many open connections on this server, try again later\r\n');
  });
});
