import { describe, expect, it } from 'vitest';
import { serverPort } from './stack-cpu';

describe('serverPort', () => {
  it('reads the port of the servers the stack’s environment names', () => {
    expect(serverPort('nats://127.0.0.1:4222')).toBe(4222);
    expect(serverPort('postgres://postgres@127.0.0.1:5433/e2e_x')).toBe(5433);
    expect(serverPort('redis://127.0.0.1:6380')).toBe(6380);
  });

  it('falls back to the scheme’s default port, and reads the first of a NATS server list', () => {
    expect(serverPort('postgres://postgres@localhost/db')).toBe(5432);
    expect(serverPort('redis://127.0.0.1')).toBe(6379);
    expect(serverPort('nats://127.0.0.1:4223,nats://127.0.0.1:4224')).toBe(4223);
  });
});
