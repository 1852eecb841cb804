import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { readConfig } from './load-config';
import { duration, hostPortList, int, optionalPort, port, url } from './readers';

describe('config readers', () => {
  it('parses typed values and defaults', () => {
    const config = readConfig({ smtpPort: port('SMTP_PORT', 2525), retries: int('RETRIES', 3), ttl: duration('TTL', '5m') }, { SMTP_PORT: '25' });
    expect(config).toEqual({ smtpPort: 25, retries: 3, ttl: 300_000 });
  });

  it('names the variable and the expected form on a bad value', () => {
    expect(() => readConfig({ p: port('SMTP_PORT', 2525) }, { SMTP_PORT: 'abc' })).toThrowError('SMTP_PORT must be a port number (0-65535), got "abc"');
    expect(() => readConfig({ u: url('NATS_URL', 'nats://x', ['nats']) }, { NATS_URL: 'http://x' })).toThrow(ConfigError);
  });

  it('reads an optional port as undefined when unset or blank, and checks it when set', () => {
    const read = optionalPort('SUBMISSIONS_PORT');
    expect(read({})).toBeUndefined();
    expect(read({ SUBMISSIONS_PORT: ' ' })).toBeUndefined();
    expect(read({ SUBMISSIONS_PORT: '465' })).toBe(465);
    expect(read({ SUBMISSIONS_PORT: '0' })).toBe(0);
    expect(() => read({ SUBMISSIONS_PORT: '70000' })).toThrowError('SUBMISSIONS_PORT must be a port number (0-65535), got "70000"');
  });

  it('parses host:port lists including IPv6 literals', () => {
    const servers = hostPortList('DNS_SERVERS', 53)({ DNS_SERVERS: '127.0.0.1:5353, [::1]:54,dns.test' });
    expect(servers).toEqual([
      { host: '127.0.0.1', port: 5353 },
      { host: '::1', port: 54 },
      { host: 'dns.test', port: 53 },
    ]);
    expect(() => hostPortList('DNS_SERVERS', 53)({ DNS_SERVERS: '1.2.3.4:99999' })).toThrow(/DNS_SERVERS/);
  });
});
