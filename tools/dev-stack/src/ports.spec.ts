import { describe, expect, it } from 'vitest';
import { choosePort, isLoopbackHost, preferredPort, type PortProbe } from './ports';

function fakePorts(taken: number[], next = 40000): PortProbe {
  return { isFree: async (port) => !taken.includes(port), ephemeral: async () => next };
}

describe('choosePort', () => {
  it('takes the preferred port when it is free', async () => {
    expect(await choosePort(4222, fakePorts([]))).toBe(4222);
  });

  it('falls back to a free port when the preferred one is taken', async () => {
    expect(await choosePort(4222, fakePorts([4222], 41234))).toBe(41234);
  });
});

describe('preferredPort', () => {
  it('uses the port of a loopback URL', () => {
    expect(preferredPort('nats://127.0.0.1:4999', 4222)).toBe(4999);
    expect(preferredPort('postgres://postgres@localhost:6543/mail', 5432)).toBe(6543);
  });

  it('uses the standard port for remote hosts, URLs without a port, and nonsense', () => {
    expect(preferredPort('nats://nats.example.com:4999', 4222)).toBe(4222);
    expect(preferredPort('redis://127.0.0.1', 6379)).toBe(6379);
    expect(preferredPort('not a url', 6379)).toBe(6379);
  });
});

describe('isLoopbackHost', () => {
  it('knows the names of this machine', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('127.1.2.3')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
  });
});
