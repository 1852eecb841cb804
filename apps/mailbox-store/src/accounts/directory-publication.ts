/**
 * The writer of the directory replica (@mail/contracts Buckets.directory):
 * what RCPT needs of the accounts — local domains, users (with whether they
 * have a quota) and aliases — copied from the tables into the key-value
 * bucket that every smtp-ingress watches.
 *
 * Each admin change publishes the keys it touched, read back from the tables
 * after its commit and before the admin reply, so once `mailctl` returns the
 * change is on its way to every replica. A full rebuild (at start, every
 * DIRECTORY_REBUILD_INTERVAL, and again after a failed publish until one
 * succeeds) compares the whole tables with the bucket and heals whatever a
 * crash between commit and publish, or a NATS outage, left behind.
 *
 * Writers serialise on a PostgreSQL advisory lock held while they read and
 * write (across every replica of mailbox-store), so a slower writer can
 * never put an older reading over a newer one.
 */
import { DirectoryKeys, type Buckets, type DirectoryRecord } from '@mail/contracts';
import type { BucketChange, RecordBucket } from '@mail/bus';
import type { Logger } from '@mail/telemetry';
import type { Pool, Queryable } from '../database/pool';
import { withTransaction } from '../database/transaction';

/** The domains and addresses (users, aliases, `@domain` catch-alls) an admin change touched, normalized. */
export interface DirectoryChange {
  readonly domains: readonly string[];
  readonly addresses: readonly string[];
}

type DirectoryBucket = RecordBucket<typeof Buckets.directory>;

/** The directory writers' advisory lock, held until the transaction ends. */
const lockStatement = "SELECT pg_advisory_xact_lock(hashtext('mail directory replica writers'))";

/** Puts in flight at once during a rebuild. */
const rebuildWindow = 256;

/** The records the tables hold for `change`'s keys; a key without a record is to be deleted. */
async function recordsOf(db: Queryable, change: DirectoryChange): Promise<Map<string, DirectoryRecord | undefined>> {
  const records = new Map<string, DirectoryRecord | undefined>();
  for (const domain of change.domains) records.set(DirectoryKeys.domain(domain), undefined);
  for (const address of change.addresses) records.set(DirectoryKeys.address(address), undefined);
  const domains = await db.query<{ name: string }>('SELECT name FROM domains WHERE name = ANY($1::text[])', [change.domains]);
  for (const row of domains.rows) records.set(DirectoryKeys.domain(row.name), { version: 1, kind: 'domain' });
  await addressRecords(db, 'WHERE address = ANY($1::text[])', [change.addresses], records);
  return records;
}

/** Every record the tables hold. */
async function allRecords(db: Queryable): Promise<Map<string, DirectoryRecord | undefined>> {
  const records = new Map<string, DirectoryRecord | undefined>();
  const domains = await db.query<{ name: string }>('SELECT name FROM domains');
  for (const row of domains.rows) records.set(DirectoryKeys.domain(row.name), { version: 1, kind: 'domain' });
  await addressRecords(db, '', [], records);
  return records;
}

async function addressRecords(db: Queryable, where: string, parameters: unknown[], into: Map<string, DirectoryRecord | undefined>): Promise<void> {
  const aliases = await db.query<{ address: string; targets: string[] }>(`SELECT address, targets FROM aliases ${where}`, parameters);
  for (const row of aliases.rows) if (row.targets.length > 0) into.set(DirectoryKeys.address(row.address), { version: 1, kind: 'alias', targets: row.targets });
  // After the aliases: a user wins over an alias of the same address (recipient-resolution.ts)
  const users = await db.query<{ address: string; quota: boolean }>(`SELECT address, quota_bytes IS NOT NULL AS quota FROM users ${where}`, parameters);
  for (const row of users.rows) into.set(DirectoryKeys.address(row.address), { version: 1, kind: 'user', quota: row.quota });
}

function sameRecord(current: BucketChange<DirectoryRecord> | undefined, wanted: DirectoryRecord): boolean {
  return current?.op === 'put' && JSON.stringify(current.record) === JSON.stringify(wanted);
}

export class DirectoryPublication {
  #healing: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly bucket: DirectoryBucket,
    private readonly log: Pick<Logger, 'info' | 'warn' | 'error'>,
    /** Pause between rebuild attempts after a failure. */
    private readonly retryMs = 5_000,
  ) {}

  /**
   * The keys an admin change will touch that it does not name itself, read
   * before the change: the aliases a removed user is dropped from, and the
   * aliases that go with a removed domain.
   */
  async alsoTouched(kind: 'user.remove' | 'domain.remove', name: string): Promise<string[]> {
    const { rows } =
      kind === 'user.remove'
        ? await this.pool.query<{ address: string }>('SELECT address FROM aliases WHERE $1::text = ANY(targets)', [name])
        : await this.pool.query<{ address: string }>('SELECT a.address FROM aliases a JOIN domains d ON d.id = a.domain_id WHERE d.name = $1', [name]);
    return rows.map((row) => row.address);
  }

  /** Write the records `change` touched as the tables hold them now; on failure, heal with rebuilds until one succeeds. */
  async publish(change: DirectoryChange): Promise<void> {
    try {
      await withTransaction(this.pool, async (client) => {
        await client.query(lockStatement);
        const records = await recordsOf(client, change);
        await Promise.all([...records].map(([key, record]) => (record === undefined ? this.bucket.delete(key) : this.bucket.put(key, record))));
      });
    } catch (error) {
      this.log.error({ err: error }, 'could not publish a directory change to the replica; rebuilding it until that succeeds');
      this.#healLater();
    }
  }

  /** Compare the whole tables with the bucket: write what differs, delete what is gone, then mark the bucket complete. */
  async rebuild(): Promise<{ written: number; deleted: number }> {
    return withTransaction(this.pool, async (client) => {
      await client.query(lockStatement);
      const wanted = await allRecords(client);
      const current = await this.bucket.snapshot();
      const writes: (() => Promise<unknown>)[] = [];
      for (const [key, record] of wanted) if (record !== undefined && !sameRecord(current.get(key), record)) writes.push(() => this.bucket.put(key, record));
      const written = writes.length;
      for (const key of current.keys()) if (key !== DirectoryKeys.complete && !wanted.has(key)) writes.push(() => this.bucket.delete(key));
      for (let i = 0; i < writes.length; i += rebuildWindow) await Promise.all(writes.slice(i, i + rebuildWindow).map((write) => write()));
      await this.bucket.put(DirectoryKeys.complete, { version: 1, kind: 'complete', rebuiltAt: new Date().toISOString() });
      return { written, deleted: writes.length - written };
    });
  }

  /** Rebuild now; on failure keep trying every `retryMs` in the background. */
  async rebuildOrHeal(): Promise<void> {
    try {
      const { written, deleted } = await this.rebuild();
      this.log.info({ written, deleted }, 'directory replica rebuilt');
    } catch (error) {
      this.log.error({ err: error }, 'could not rebuild the directory replica; trying again');
      this.#healLater();
    }
  }

  /** Stop healing attempts (shutdown). */
  stop(): void {
    clearTimeout(this.#healing);
    this.#healing = undefined;
  }

  #healLater(): void {
    if (this.#healing !== undefined) return;
    this.#healing = setTimeout(() => {
      this.#healing = undefined;
      void this.rebuildOrHeal();
    }, this.retryMs);
    this.#healing.unref();
  }
}
