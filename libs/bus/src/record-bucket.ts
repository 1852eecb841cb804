/**
 * Typed JetStream key-value buckets: the latest record under each key, one
 * owner writing and any number of readers watching. Records are validated
 * against the bucket definition's schema when written and when read; a
 * reader is told about a record it cannot read instead of guessing.
 */
import type { BucketDefinition, BucketRecord, BusNamespace } from '@mail/contracts';
import type { JetStreamClient } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { decodeWith, encodeJson } from './codec';

/** One change seen by a watch: a record written, a key deleted, or a record that failed validation. */
export type BucketChange<R> = { readonly key: string; readonly revision: number } & (
  { readonly op: 'put'; readonly record: R } | { readonly op: 'delete' } | { readonly op: 'invalid'; readonly reason: string }
);

/** A running watch; `ended` resolves when it stops, by stop() or because the server side went away. */
export interface BucketWatch {
  stop(): void;
  readonly ended: Promise<void>;
}

export class RecordBucket<B extends BucketDefinition> {
  private constructor(
    private readonly kv: KV,
    private readonly definition: B,
    /** The bucket's name in this namespace. */
    readonly name: string,
  ) {}

  /** Create the bucket if missing (one value per key, file storage) and open it. */
  static async open<B extends BucketDefinition>(js: JetStreamClient, ns: BusNamespace, definition: B, replicas = 1): Promise<RecordBucket<B>> {
    const name = ns.bucketName(definition);
    const kv = await new Kvm(js).create(name, { history: 1, replicas, description: definition.description });
    return new RecordBucket(kv, definition, name);
  }

  /** Write `record` under `key`; resolves with its revision once JetStream stored it. */
  async put(key: string, record: BucketRecord<B>): Promise<number> {
    const checked = this.definition.schema.safeParse(record);
    if (!checked.success) throw new Error(`refusing to write an invalid ${this.name} record under ${key}: ${checked.error.message}`);
    return this.kv.put(key, encodeJson(checked.data));
  }

  /** Delete `key` (a delete marker watchers see). */
  async delete(key: string): Promise<void> {
    await this.kv.delete(key);
  }

  /** Revision of the latest write to the bucket, 0 when it never had one: a watcher that applied it has seen everything before. */
  async lastRevision(): Promise<number> {
    const status = await this.kv.status();
    return status.streamInfo.state.last_seq;
  }

  /**
   * The latest record of every key (deleted keys as deletes), then every
   * change as it happens, in revision order, each handed to `onChange`.
   */
  async watch(onChange: (change: BucketChange<BucketRecord<B>>) => void): Promise<BucketWatch> {
    const entries = await this.kv.watch();
    const ended = (async () => {
      for await (const entry of entries) {
        const at = { key: entry.key, revision: entry.revision };
        if (entry.operation !== 'PUT') {
          onChange({ ...at, op: 'delete' });
          continue;
        }
        const decoded = decodeWith(this.definition.schema, entry.value);
        onChange(decoded.ok ? { ...at, op: 'put', record: decoded.value as BucketRecord<B> } : { ...at, op: 'invalid', reason: decoded.reason });
      }
    })();
    return { stop: () => entries.stop(), ended };
  }

  /** Every key and its record as they are now (a watch read to its end). */
  async snapshot(): Promise<Map<string, BucketChange<BucketRecord<B>>>> {
    const last = await this.lastRevision();
    const entries = new Map<string, BucketChange<BucketRecord<B>>>();
    if (last === 0) return entries;
    let reached: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (reached = resolve));
    const watch = await this.watch((change) => {
      if (change.op === 'delete') entries.delete(change.key);
      else entries.set(change.key, change);
      if (change.revision >= last) reached();
    });
    let finished = false;
    const endedEarly = watch.ended.then(() => {
      if (!finished) throw new Error(`the watch of ${this.name} ended before revision ${last}`);
    });
    endedEarly.catch(() => undefined); // observed by the race below
    try {
      await Promise.race([done, endedEarly]);
    } finally {
      finished = true;
      watch.stop();
    }
    return entries;
  }
}
