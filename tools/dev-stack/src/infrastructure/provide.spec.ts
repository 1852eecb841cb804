import { describe, expect, it } from 'vitest';
import { nats } from './nats';
import { postgres } from './postgres';
import { configuredUrl, missingBinaries } from './provide';
import { redis } from './redis';

describe('configuredUrl', () => {
  it('uses the variable when set and the default when unset or blank', () => {
    expect(configuredUrl(nats, { NATS_URL: 'nats://10.0.0.5:4222' })).toBe('nats://10.0.0.5:4222');
    expect(configuredUrl(nats, {})).toBe('nats://127.0.0.1:4222');
    expect(configuredUrl(postgres, { DATABASE_URL: '  ' })).toBe('postgres://postgres@127.0.0.1:5432/mail');
    expect(configuredUrl(redis, {})).toBe('redis://127.0.0.1:6379');
  });
});

describe('missingBinaries', () => {
  it('names the Debian packages to install', () => {
    const error = missingBinaries([nats, redis]);
    expect(error.message).toContain('sudo apt-get install nats-server redis-server');
    expect(error.message).toContain('NATS_URL, REDIS_URL');
  });
});
