// Tests of directory-replica.ts: answers from the replica, the staleness bound, and starting the watch afresh.
import type { BucketChange, BucketWatch } from '@mail/bus';
import { DirectoryKeys, type DirectoryRecord } from '@mail/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DirectoryReplica } from './directory-replica';

/** A directory bucket in memory (deletes kept as markers, as in JetStream): writes reach the current watch unless `deliver` is false (a missed change). */
class MemoryBucket {
  readonly records = new Map<string, { record: DirectoryRecord | undefined; revision: number }>();
  revision = 0;
  reachable = true;
  watches = 0;
  #watcher: ((change: BucketChange<DirectoryRecord>) => void) | undefined;

  write(key: string, record: DirectoryRecord | undefined, deliver = true): void {
    const revision = ++this.revision;
    this.records.set(key, { record, revision });
    if (deliver) this.#watcher?.(record === undefined ? { key, revision, op: 'delete' } : { key, revision, op: 'put', record });
  }

  /** A record that fails validation, as another writer might leave. */
  writeInvalid(key: string): void {
    this.#watcher?.({ key, revision: ++this.revision, op: 'invalid', reason: 'targets: required' });
  }

  async watch(onChange: (change: BucketChange<DirectoryRecord>) => void): Promise<BucketWatch> {
    if (!this.reachable) throw new Error('no connection');
    this.watches++;
    this.#watcher = onChange;
    for (const [key, { record, revision }] of [...this.records].sort((a, b) => a[1].revision - b[1].revision)) {
      onChange(record === undefined ? { key, revision, op: 'delete' } : { key, revision, op: 'put', record });
    }
    return { stop: () => undefined, ended: new Promise(() => undefined) };
  }

  async lastRevision(): Promise<number> {
    if (!this.reachable) throw new Error('no connection');
    return this.revision;
  }
}

const silent = { info: () => undefined, warn: () => undefined };
const user = (quota = false): DirectoryRecord => ({ version: 1, kind: 'user', quota });

function directory(): MemoryBucket {
  const bucket = new MemoryBucket();
  bucket.write(DirectoryKeys.domain('example.test'), { version: 1, kind: 'domain' });
  bucket.write(DirectoryKeys.address('bob@example.test'), user());
  bucket.write(DirectoryKeys.address('team@example.test'), { version: 1, kind: 'alias', targets: ['bob@example.test', 'quota@example.test'] });
  bucket.write(DirectoryKeys.address('quota@example.test'), user(true));
  bucket.write(DirectoryKeys.complete, { version: 1, kind: 'complete', rebuiltAt: '2026-01-01T00:00:00Z' });
  return bucket;
}

describe('DirectoryReplica', () => {
  let replica: DirectoryReplica | undefined;
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    replica?.stop();
    vi.useRealTimers();
  });

  async function started(bucket: MemoryBucket, maxStalenessMs = 1000): Promise<DirectoryReplica> {
    replica = new DirectoryReplica(bucket, { maxStalenessMs, checkIntervalMs: 100, log: silent, now: () => Date.now() });
    const loading = replica.start(5000);
    await vi.advanceTimersByTimeAsync(100);
    expect(await loading).toBe(true);
    return replica;
  }

  it('answers as mailbox-store would once loaded', async () => {
    const replica = await started(directory());
    expect(replica.resolve('Bob@Example.test')).toEqual({ result: 'local', mailboxes: ['bob@example.test'] });
    expect(replica.resolve('team@example.test')).toEqual({ result: 'local', mailboxes: ['bob@example.test', 'quota@example.test'] });
    expect(replica.resolve('nobody@example.test')).toEqual({ result: 'unknown-user' });
    expect(replica.resolve('bob@elsewhere.test')).toEqual({ result: 'not-local-domain' });
  });

  it('leaves to mailbox-store a recipient whose every mailbox has a quota (whether it is full)', async () => {
    const replica = await started(directory());
    expect(replica.resolve('quota@example.test')).toBeUndefined();
  });

  it('says nothing before mailbox-store marked the bucket complete', async () => {
    const bucket = directory();
    bucket.records.delete(DirectoryKeys.complete);
    replica = new DirectoryReplica(bucket, { maxStalenessMs: 1000, checkIntervalMs: 100, log: silent, now: () => Date.now() });
    const loading = replica.start(300);
    await vi.advanceTimersByTimeAsync(400);
    expect(await loading).toBe(false);
    expect(replica.resolve('bob@example.test')).toBeUndefined();
    bucket.write(DirectoryKeys.complete, { version: 1, kind: 'complete', rebuiltAt: '2026-01-01T00:00:00Z' });
    await vi.advanceTimersByTimeAsync(100);
    expect(replica.resolve('bob@example.test')).toEqual({ result: 'local', mailboxes: ['bob@example.test'] });
  });

  it('applies changes as they come', async () => {
    const bucket = directory();
    const replica = await started(bucket);
    bucket.write(DirectoryKeys.address('bob@example.test'), undefined);
    expect(replica.resolve('bob@example.test')).toEqual({ result: 'unknown-user' });
    expect(replica.resolve('team@example.test')).toBeUndefined(); // left with the quota mailbox only
    bucket.write(DirectoryKeys.domain('example.test'), undefined);
    expect(replica.resolve('team@example.test')).toEqual({ result: 'not-local-domain' });
  });

  it('stops answering once it could not confirm for longer than the bound, and answers again when it can', async () => {
    const bucket = directory();
    const replica = await started(bucket, 1000);
    bucket.reachable = false;
    await vi.advanceTimersByTimeAsync(900);
    expect(replica.resolve('bob@example.test')).toBeDefined();
    await vi.advanceTimersByTimeAsync(200);
    expect(replica.resolve('bob@example.test')).toBeUndefined();
    bucket.reachable = true;
    await vi.advanceTimersByTimeAsync(100);
    expect(replica.resolve('bob@example.test')).toEqual({ result: 'local', mailboxes: ['bob@example.test'] });
  });

  it('starts the watch afresh when it missed a change, within the bound', async () => {
    const bucket = directory();
    const replica = await started(bucket, 1000);
    bucket.write(DirectoryKeys.address('bob@example.test'), undefined, false);
    await vi.advanceTimersByTimeAsync(100);
    expect(replica.resolve('bob@example.test')).toEqual({ result: 'local', mailboxes: ['bob@example.test'] }); // still within the bound
    await vi.advanceTimersByTimeAsync(1200);
    expect(bucket.watches).toBe(2);
    expect(replica.resolve('bob@example.test')).toEqual({ result: 'unknown-user' });
  });

  it('does not answer while it holds a record it cannot read', async () => {
    const bucket = directory();
    const replica = await started(bucket);
    bucket.writeInvalid(DirectoryKeys.address('odd@example.test'));
    expect(replica.resolve('bob@example.test')).toBeUndefined();
    bucket.write(DirectoryKeys.address('odd@example.test'), user());
    await vi.advanceTimersByTimeAsync(100);
    expect(replica.resolve('odd@example.test')).toEqual({ result: 'local', mailboxes: ['odd@example.test'] });
  });
});
