/**
 * smtp-ingress's copy of the directory: the `directory` bucket mailbox-store
 * keeps (@mail/contracts Buckets.directory), loaded at start and kept
 * current by watching it, so RCPT is answered in memory with the same
 * decision mailbox-store makes (resolveInDirectory) instead of a request per
 * recipient.
 *
 * Bounded staleness: every `checkIntervalMs` the replica asks NATS for the
 * bucket's latest revision; once it has applied that revision it knows it
 * held every change written before the question was asked. It answers only
 * while such a confirmation is at most `maxStalenessMs` old, so a change
 * mailbox-store wrote (before its admin reply) is applied, or the replica
 * stops answering, within that bound. Normally a change arrives within
 * milliseconds. Otherwise — not yet loaded, no `complete` mark yet (no full
 * rebuild by mailbox-store), a record it cannot read, NATS unreachable —
 * `resolve` returns undefined and the caller asks mailbox-store. A watch
 * that falls behind for longer than the bound, ends, or finds the bucket
 * recreated is started afresh from a full copy.
 */
import { DirectoryKeys, resolveInDirectory, type Buckets, type DirectoryRecord, type DirectoryView, type ResolveRecipientResponse } from '@mail/contracts';
import type { BucketChange, BucketWatch, RecordBucket } from '@mail/bus';
import type { Logger } from '@mail/telemetry';
import type { RecipientDirectory } from './recipient-directory';

type DirectoryBucket = Pick<RecordBucket<typeof Buckets.directory>, 'watch' | 'lastRevision'>;

export interface DirectoryReplicaOptions {
  /** The longest the replica answers after its last confirmation that it holds every change. */
  readonly maxStalenessMs: number;
  /** How often it asks for the bucket's latest revision (default: a quarter of the bound, at most 1 s). */
  readonly checkIntervalMs?: number;
  readonly log: Pick<Logger, 'info' | 'warn'>;
  readonly now?: () => number;
}

/** The replica's tables, replaced whole when the watch starts afresh. */
class ReplicaTables implements DirectoryView {
  readonly domains = new Set<string>();
  readonly entries = new Map<string, Extract<DirectoryRecord, { kind: 'user' | 'alias' }>>();
  /** Keys whose record failed validation: while any is held, the replica does not answer. */
  readonly unreadable = new Set<string>();
  complete = false;
  applied = 0;

  isLocalDomain(domain: string): boolean {
    return this.domains.has(domain);
  }

  entryOf(address: string) {
    return this.entries.get(address);
  }

  apply(change: BucketChange<DirectoryRecord>): void {
    this.applied = Math.max(this.applied, change.revision);
    this.unreadable.delete(change.key);
    const named = DirectoryKeys.parse(change.key);
    if (change.op === 'invalid' || named === undefined) {
      this.unreadable.add(change.key);
      return;
    }
    const record = change.op === 'put' ? change.record : undefined;
    if (named.kind === 'complete') this.complete = this.complete || record?.kind === 'complete';
    else if (named.kind === 'domain') {
      if (record?.kind === 'domain') this.domains.add(named.name);
      else this.domains.delete(named.name);
    } else if (record?.kind === 'user' || record?.kind === 'alias') this.entries.set(named.name, record);
    else this.entries.delete(named.name);
  }
}

export class DirectoryReplica {
  #tables = new ReplicaTables();
  #watch: BucketWatch | undefined;
  /** Bumped at each (re)start, so an old watch's end or changes are ignored. */
  #generation = 0;
  /** When the replica last confirmed it had applied everything written before then. */
  #confirmedAt = -Infinity;
  /** Revisions the bucket had reached at the times asked, not applied yet. */
  #awaited: { revision: number; askedAt: number }[] = [];
  /** The revision applied at the previous check: a watch behind the bucket that also stopped advancing is started afresh. */
  #appliedAtLastCheck = 0;
  #restarting = false;
  #watchFailures = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  readonly #now: () => number;
  readonly #checkIntervalMs: number;

  constructor(
    private readonly bucket: DirectoryBucket,
    private readonly options: DirectoryReplicaOptions,
  ) {
    this.#now = options.now ?? (() => performance.now());
    this.#checkIntervalMs = options.checkIntervalMs ?? Math.max(50, Math.min(1000, options.maxStalenessMs / 4));
  }

  /** Start watching and checking; resolves once the replica can answer, or after `loadTimeoutMs` (then RCPT asks mailbox-store until it can). */
  async start(loadTimeoutMs: number): Promise<boolean> {
    this.#timer = setInterval(() => void this.#check(), this.#checkIntervalMs).unref();
    await this.#restart('start');
    const deadline = this.#now() + loadTimeoutMs;
    while (!this.fresh() && this.#now() < deadline && !this.#stopped) await new Promise((resolve) => setTimeout(resolve, Math.min(50, this.#checkIntervalMs)));
    return this.fresh();
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#watch?.stop();
  }

  /** Whether answers are current within the bound. */
  fresh(): boolean {
    const tables = this.#tables;
    return tables.complete && tables.unreadable.size === 0 && this.#now() - this.#confirmedAt <= this.options.maxStalenessMs;
  }

  /** The answer mailbox-store would give, or undefined when the replica cannot say (ask mailbox-store). */
  resolve(address: string): ResolveRecipientResponse | undefined {
    if (!this.fresh()) return undefined;
    const resolution = resolveInDirectory(address, this.#tables);
    if (resolution.kind !== 'local') return { result: resolution.kind };
    const hasQuota = (mailbox: string): boolean => {
      const entry = this.#tables.entryOf(mailbox);
      return entry?.kind === 'user' && entry.quota;
    };
    // Only mailbox-store knows whether a mailbox with a quota is full: asked when every mailbox has one (552 5.2.2 at RCPT, recipient-route.ts)
    if (resolution.mailboxes.every(hasQuota)) return undefined;
    return { result: 'local', mailboxes: resolution.mailboxes };
  }

  /** Replace the watch with a new one reading the whole bucket again. */
  async #restart(reason: string): Promise<void> {
    const generation = ++this.#generation;
    this.#restarting = true;
    this.#watch?.stop();
    this.#watch = undefined;
    const tables = (this.#tables = new ReplicaTables());
    this.#confirmedAt = -Infinity;
    this.#awaited = [];
    this.#appliedAtLastCheck = 0;
    if (reason !== 'start' && this.#watchFailures === 0) this.options.log.warn({ reason }, 'directory replica: reloading; RCPT asks mailbox-store until it is current');
    try {
      const watch = await this.bucket.watch((change) => {
        if (generation !== this.#generation) return;
        tables.apply(change);
        this.#confirmReached();
      });
      if (generation !== this.#generation || this.#stopped) return watch.stop();
      this.#watch = watch;
      this.#watchFailures = 0;
      void watch.ended.then(() => {
        if (generation === this.#generation && !this.#stopped) void this.#restart('the watch ended');
      });
    } catch (error) {
      // NATS unreachable: the next check tries again (logged once per outage)
      if (this.#watchFailures++ === 0) this.options.log.warn({ err: error }, 'directory replica: cannot watch the directory bucket');
      return;
    } finally {
      if (generation === this.#generation) this.#restarting = false;
    }
    void this.#check();
  }

  /** Ask for the bucket's latest revision; confirm, wait for it, or start afresh when it stopped getting there. */
  async #check(): Promise<void> {
    if (this.#stopped || this.#restarting) return;
    if (this.#watch === undefined) return void this.#restart('no watch');
    const generation = this.#generation;
    const askedAt = this.#now();
    let revision;
    try {
      revision = await this.bucket.lastRevision();
    } catch {
      return; // the confirmation ages; past the bound RCPT asks mailbox-store
    }
    if (generation !== this.#generation) return;
    const tables = this.#tables;
    if (revision < tables.applied) return void this.#restart('the bucket was recreated');
    this.#awaited.push({ revision, askedAt });
    this.#confirmReached();
    const oldest = this.#awaited[0];
    const stalled = tables.applied === this.#appliedAtLastCheck;
    this.#appliedAtLastCheck = tables.applied;
    // A missed change or a dead watch: behind for longer than the bound and not advancing (a large first load advances)
    if (oldest !== undefined && stalled && this.#now() - oldest.askedAt > this.options.maxStalenessMs) void this.#restart(`stuck at revision ${tables.applied}, behind ${oldest.revision}`);
  }

  #confirmReached(): void {
    while (this.#awaited.length > 0 && (this.#awaited[0]?.revision ?? Infinity) <= this.#tables.applied) {
      this.#confirmedAt = Math.max(this.#confirmedAt, this.#awaited.shift()?.askedAt ?? -Infinity);
    }
  }
}

/** RCPT answered by the replica when it can, else by `fallback` (mailbox-store over the bus, with its stale-if-error cache). */
export function replicaFirst(replica: Pick<DirectoryReplica, 'resolve'>, fallback: RecipientDirectory): RecipientDirectory {
  return {
    resolve: async (address) => replica.resolve(address) ?? fallback.resolve(address),
  };
}
