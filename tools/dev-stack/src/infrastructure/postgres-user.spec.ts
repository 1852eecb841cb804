import { describe, expect, it } from 'vitest';
import { passwdEntry } from './postgres-user';

const passwd = ['root:x:0:0:root:/root:/bin/bash', 'postgres:x:101:104:PostgreSQL administrator:/var/lib/postgresql:/bin/bash', ''].join('\n');

describe('passwdEntry', () => {
  it('finds the uid and gid of a user', () => {
    expect(passwdEntry(passwd, 'postgres')).toEqual({ uid: 101, gid: 104 });
  });

  it('returns undefined for a missing user', () => {
    expect(passwdEntry(passwd, 'nobody')).toBeUndefined();
  });
});
