// Tests of record-bucket.ts against a real NATS server: typed puts, watches that see the latest records then each change, snapshots.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Buckets, DirectoryKeys } from '@mail/contracts';
import { createTestNamespace, testNatsUrl, waitFor } from '@mail/testing';
import { Kvm } from '@nats-io/kv';
import { Bus, type BucketChange, type RecordBucket } from '../src';
import { silent } from './fixtures/mail-received';

describe('RecordBucket against a real NATS server', () => {
  let namespace: Awaited<ReturnType<typeof createTestNamespace>>;
  let bus: Bus;
  let bucket: RecordBucket<typeof Buckets.directory>;

  beforeAll(async () => {
    namespace = await createTestNamespace('bucket');
    bus = await Bus.connect({ url: testNatsUrl, name: 'bucket-test', namespace: namespace.namespace, log: silent });
    bucket = await bus.bucket(Buckets.directory);
  });
  afterAll(async () => {
    await bus?.close();
    await namespace?.cleanup();
  });

  it('hands a watch the latest record of each key, then every change in revision order', async () => {
    const bob = DirectoryKeys.address('bob@example.test');
    await bucket.put(DirectoryKeys.domain('example.test'), { version: 1, kind: 'domain' });
    await bucket.put(bob, { version: 1, kind: 'user', quota: false });
    const last = await bucket.put(bob, { version: 1, kind: 'user', quota: true });
    expect(await bucket.lastRevision()).toBe(last);
    const seen: BucketChange<unknown>[] = [];
    const watch = await bucket.watch((change) => seen.push(change));
    await waitFor(() => seen.length === 2, { description: 'the two keys' });
    expect(seen.map((c) => (c.op === 'put' ? c.record : c.op))).toEqual([
      { version: 1, kind: 'domain' },
      { version: 1, kind: 'user', quota: true },
    ]);
    await bucket.delete(bob);
    await waitFor(() => seen.length === 3, { description: 'the delete' });
    expect(seen[2]).toMatchObject({ key: bob, op: 'delete', revision: last + 1 });
    watch.stop();
    await watch.ended;
  });

  it('refuses to write an invalid record, and tells a reader about one written by someone else', async () => {
    const key = DirectoryKeys.address('odd@example.test');
    await expect(bucket.put(key, { version: 1, kind: 'alias', targets: [] })).rejects.toThrow(/invalid .*directory_v1 record/);
    const raw = await new Kvm(bus.js).open(bucket.name);
    await raw.put(key, '{"version":1,"kind":"alias"}');
    const snapshot = await bucket.snapshot();
    expect(snapshot.get(key)).toMatchObject({ op: 'invalid', reason: expect.stringContaining('targets') });
    expect(snapshot.has(DirectoryKeys.address('bob@example.test'))).toBe(false);
    expect(snapshot.get(DirectoryKeys.domain('example.test'))).toMatchObject({ op: 'put' });
  });
});
