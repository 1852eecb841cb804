import { describe, expect, it } from 'vitest';
import { findBinary, findBinaryDir, searchDirs, versionedPostgresDirs } from './binaries';

const only =
  (...paths: string[]) =>
  (path: string) =>
    paths.includes(path);

describe('searchDirs', () => {
  it('adds the sbin folders after PATH without repeating any', () => {
    expect(searchDirs('/home/me/bin:/usr/bin:/usr/sbin')).toEqual(['/home/me/bin', '/usr/bin', '/usr/sbin', '/usr/local/sbin', '/sbin']);
    expect(searchDirs(undefined)).toEqual(['/usr/local/sbin', '/usr/sbin', '/sbin']);
  });
});

describe('findBinary', () => {
  it('finds a binary in an sbin folder missing from PATH', () => {
    expect(findBinary('nats-server', { PATH: '/usr/bin' }, only('/usr/sbin/nats-server'))).toBe('/usr/sbin/nats-server');
  });

  it('returns undefined when the binary is nowhere', () => {
    expect(findBinary('redis-server', { PATH: '/usr/bin' }, only())).toBeUndefined();
  });
});

describe('findBinaryDir', () => {
  it('wants every program in the same folder', () => {
    const dirs = ['/usr/bin', '/usr/lib/postgresql/16/bin'];
    const isExecutable = only('/usr/bin/postgres', '/usr/lib/postgresql/16/bin/postgres', '/usr/lib/postgresql/16/bin/initdb');
    expect(findBinaryDir(['initdb', 'postgres'], dirs, isExecutable)).toBe('/usr/lib/postgresql/16/bin');
  });
});

describe('versionedPostgresDirs', () => {
  it('lists the newest major version first and ignores other entries', () => {
    expect(versionedPostgresDirs(['9.6', '15', '16', 'README'])).toEqual(['/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/9.6/bin']);
  });
});
