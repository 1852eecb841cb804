import { isWrapped } from '@opentelemetry/instrumentation';
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { instrumentDatabaseClients } from './client-instrumentation';

describe('instrumentDatabaseClients', () => {
  it('patches the pg and ioredis classes this ES module imported before it ran', () => {
    expect(isWrapped(pg.Client.prototype.query)).toBe(false);
    instrumentDatabaseClients();
    expect(isWrapped(pg.Client.prototype.query)).toBe(true);
    expect(isWrapped(pg.Pool.prototype.connect)).toBe(true);
    expect(isWrapped(Redis.prototype.sendCommand)).toBe(true);
  });

  it('is idempotent', () => {
    instrumentDatabaseClients();
    instrumentDatabaseClients();
    expect(isWrapped(pg.Client.prototype.query)).toBe(true);
  });
});
