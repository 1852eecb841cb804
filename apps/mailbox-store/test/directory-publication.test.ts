/**
 * Integration: the directory replica's writer (directory-publication.ts) on
 * real NATS and PostgreSQL — each admin change leaves the bucket holding
 * what the tables hold, before mailctl's reply; a restart rebuilds a bucket
 * that lost or gained records behind mailbox-store's back.
 */
import { Buckets, DirectoryKeys, type DirectoryRecord } from '@mail/contracts';
import type { RecordBucket } from '@mail/bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from './fixtures/test-system';

describe('directory replica writer', () => {
  let system: TestSystem;
  let bucket: RecordBucket<typeof Buckets.directory>;

  /** The bucket's records by readable name (`domain:x`, `address:y`), without the completion mark. */
  async function published(): Promise<Record<string, DirectoryRecord | string>> {
    const records: Record<string, DirectoryRecord | string> = {};
    for (const [key, change] of await bucket.snapshot()) {
      const named = DirectoryKeys.parse(key);
      if (named === undefined || named.kind === 'complete') continue;
      records[`${named.kind}:${named.name}`] = change.op === 'put' ? change.record : change.op;
    }
    return records;
  }

  beforeAll(async () => {
    system = await createTestSystem('mbx_dirpub');
    await system.start();
    bucket = await system.bus.bucket(Buckets.directory);
  });
  afterAll(() => system?.cleanup());

  it('is complete after start, and holds each admin change when the reply comes', async () => {
    expect((await bucket.snapshot()).get(DirectoryKeys.complete)).toMatchObject({ op: 'put', record: { kind: 'complete' } });
    await system.admin({ version: 1, op: 'domain.add', domain: 'Example.test' });
    for (const user of ['bob@example.test', 'Carol@example.test']) await system.admin({ version: 1, op: 'user.add', address: user, password: 'pw' });
    await system.admin({ version: 1, op: 'user.quota', address: 'carol@example.test', bytes: 1000 });
    await system.admin({ version: 1, op: 'alias.add', address: 'team@example.test', targets: ['bob@example.test', 'carol@example.test'] });
    await system.admin({ version: 1, op: 'alias.add', address: 'old@example.test', targets: ['carol@example.test'] });
    await system.admin({ version: 1, op: 'alias.add', address: '@example.test', targets: ['bob@example.test'] });
    expect(await published()).toEqual({
      'domain:example.test': { version: 1, kind: 'domain' },
      'address:bob@example.test': { version: 1, kind: 'user', quota: false },
      'address:carol@example.test': { version: 1, kind: 'user', quota: true },
      'address:team@example.test': { version: 1, kind: 'alias', targets: ['bob@example.test', 'carol@example.test'] },
      'address:old@example.test': { version: 1, kind: 'alias', targets: ['carol@example.test'] },
      'address:@example.test': { version: 1, kind: 'alias', targets: ['bob@example.test'] },
    });
  });

  it('takes a removed user out of the aliases it was in, and a removed domain with its aliases', async () => {
    await system.admin({ version: 1, op: 'user.remove', address: 'carol@example.test' });
    expect(await published()).toEqual({
      'domain:example.test': { version: 1, kind: 'domain' },
      'address:bob@example.test': { version: 1, kind: 'user', quota: false },
      'address:team@example.test': { version: 1, kind: 'alias', targets: ['bob@example.test'] },
      'address:@example.test': { version: 1, kind: 'alias', targets: ['bob@example.test'] },
    });
    await system.admin({ version: 1, op: 'user.remove', address: 'bob@example.test' });
    await system.admin({ version: 1, op: 'domain.add', domain: 'other.test' });
    await system.admin({ version: 1, op: 'user.add', address: 'erin@other.test', password: 'pw' });
    await system.admin({ version: 1, op: 'alias.add', address: 'sales@example.test', targets: ['erin@other.test'] });
    await system.admin({ version: 1, op: 'domain.remove', domain: 'example.test' });
    expect(await published()).toEqual({
      'domain:other.test': { version: 1, kind: 'domain' },
      'address:erin@other.test': { version: 1, kind: 'user', quota: false },
    });
  });

  it('rebuilds at start what was lost, changed or added behind its back', async () => {
    await bucket.delete(DirectoryKeys.address('erin@other.test'));
    await bucket.put(DirectoryKeys.domain('other.test'), { version: 1, kind: 'user', quota: true });
    await bucket.put(DirectoryKeys.address('ghost@other.test'), { version: 1, kind: 'user', quota: false });
    await system.start();
    expect(await published()).toEqual({
      'domain:other.test': { version: 1, kind: 'domain' },
      'address:erin@other.test': { version: 1, kind: 'user', quota: false },
    });
  });
});
