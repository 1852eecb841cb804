import { describe, expect, it } from 'vitest';
import { databaseName, localPostgresUrl, maintenanceUrl } from './postgres-url';

describe('databaseName', () => {
  it('reads the path, defaulting to mail', () => {
    expect(databaseName('postgres://postgres@127.0.0.1:5432/mail')).toBe('mail');
    expect(databaseName('postgres://u:p@db:5432/other?sslmode=disable')).toBe('other');
    expect(databaseName('postgres://postgres@127.0.0.1:5432')).toBe('mail');
  });
});

describe('maintenanceUrl', () => {
  it('keeps server, credentials and options but targets the postgres database', () => {
    expect(maintenanceUrl('postgres://u:p@db:5433/mail?sslmode=disable')).toBe('postgres://u:p@db:5433/postgres?sslmode=disable');
  });
});

describe('localPostgresUrl', () => {
  it('points at the local server with the configured database', () => {
    expect(localPostgresUrl('postgres://alice:secret@db.example.com:5432/letters', 54321)).toBe('postgres://postgres@127.0.0.1:54321/letters');
    expect(localPostgresUrl('garbage', 5432)).toBe('postgres://postgres@127.0.0.1:5432/mail');
  });
});
