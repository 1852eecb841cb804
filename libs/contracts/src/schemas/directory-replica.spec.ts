// Tests of directory-replica.ts: the directory bucket's keys and records.
import { describe, expect, it } from 'vitest';
import { DirectoryKeys, DirectoryRecord } from './directory-replica';

describe('DirectoryKeys', () => {
  it('encodes any address as one subject token and parses it back', () => {
    for (const address of ['bob@example.test', 'o.brien+tag@example.test', 'jürgen@exämple.test', '@example.test']) {
      const key = DirectoryKeys.address(address);
      expect(key).toMatch(/^address\.[A-Za-z0-9_-]+$/);
      expect(DirectoryKeys.parse(key)).toEqual({ kind: 'address', name: address });
    }
    expect(DirectoryKeys.parse(DirectoryKeys.domain('example.test'))).toEqual({ kind: 'domain', name: 'example.test' });
    expect(DirectoryKeys.parse(DirectoryKeys.complete)).toEqual({ kind: 'complete' });
    expect(DirectoryKeys.parse('other.Ym9i')).toBeUndefined();
  });
});

describe('DirectoryRecord', () => {
  it('ignores unknown fields and refuses an alias without targets', () => {
    expect(DirectoryRecord.parse({ version: 1, kind: 'user', quota: false, later: 1 })).toEqual({ version: 1, kind: 'user', quota: false });
    expect(DirectoryRecord.safeParse({ version: 1, kind: 'alias', targets: [] }).success).toBe(false);
  });
});
