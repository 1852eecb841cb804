import { isWrapped } from '@opentelemetry/instrumentation';
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { instrumentDatabaseClients } from './client-instrumentation';

describe('instrumentDatabaseClients', () => {
  it('patches only the clients asked for', () => {
    instrumentDatabaseClients({ postgres: false, redis: true });
    expect(isWrapped(Redis.prototype.sendCommand)).toBe(true);
    expect(isWrapped(pg.Client.prototype.query)).toBe(false);
  });

  it('patches the pg and ioredis classes this ES module imported before it ran', () => {
    expect(isWrapped(pg.Client.prototype.query)).toBe(false);
    instrumentDatabaseClients({ postgres: true, redis: true });
    expect(isWrapped(pg.Client.prototype.query)).toBe(true);
    expect(isWrapped(pg.Pool.prototype.connect)).toBe(true);
    expect(isWrapped(Redis.prototype.sendCommand)).toBe(true);
  });

  it('is idempotent', () => {
    instrumentDatabaseClients({ postgres: true, redis: true });
    instrumentDatabaseClients({ postgres: true, redis: true });
    expect(isWrapped(pg.Client.prototype.query)).toBe(true);
  });
});
