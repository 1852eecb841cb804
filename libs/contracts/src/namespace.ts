/**
 * The one place where subject, stream and bucket names are built. Services
 * never concatenate subject strings: they ask a `BusNamespace` for them.
 * The namespace (default `mail`) lets tests and parallel deployments share
 * one NATS server without colliding.
 */
import { createHash } from 'node:crypto';
import type { BucketDefinition, EventDefinition, NoticeDefinition, ObjectStoreDefinition, RequestDefinition, StreamDefinition } from './definitions';

/** The subject token of a notice key: 32 hex digits of its SHA-256, case folded (addresses compare without case). */
export function noticeKeyToken(key: string): string {
  return createHash('sha256').update(key.toLowerCase()).digest('hex').slice(0, 32);
}

const namespacePattern = /^[a-z][a-z0-9_-]{0,31}$/;

export class BusNamespace {
  constructor(readonly prefix: string) {
    if (!namespacePattern.test(prefix)) {
      throw new Error(`invalid bus namespace ${JSON.stringify(prefix)}: expected lower-case letters, digits, - or _`);
    }
  }

  /** `mail.v1.inbound.received` */
  eventSubject(event: EventDefinition): string {
    return `${this.prefix}.v${event.version}.${event.name}`;
  }

  /** `mail.v1.directory.resolve` */
  requestSubject(request: RequestDefinition): string {
    return `${this.prefix}.v${request.version}.${request.name}`;
  }

  /**
   * `mail.v1.mailbox.changed` (core NATS: no stream captures it); with a key
   * (a keyed notice: NoticeDefinition.keyOf), the key's own subject
   * `mail.v1.mailbox.changed.<token>`, the token a digest of the key in
   * lower case (a NATS token cannot hold the dots of an address).
   */
  noticeSubject(notice: NoticeDefinition, key?: string): string {
    const subject = `${this.prefix}.v${notice.version}.${notice.name}`;
    return key === undefined ? subject : `${subject}.${noticeKeyToken(key)}`;
  }

  /** Every key's subject of a keyed notice, for permissions: `mail.v1.mailbox.changed.*`. */
  noticeKeySubjects(notice: NoticeDefinition): string {
    return `${this.noticeSubject(notice)}.*`;
  }

  /** Subjects a stream captures, one per version: `mail.v1.inbound.>`. */
  streamSubjects(stream: StreamDefinition): string[] {
    return stream.versions.map((version) => `${this.prefix}.v${version}.${stream.subjectPattern}`);
  }

  /** `MAIL_INBOUND` */
  streamName(stream: StreamDefinition): string {
    return `${this.prefix}_${stream.name}`.toUpperCase().replace(/-/g, '_');
  }

  /** Where a message that cannot be processed goes: `mail.dead.v1.inbound.received`. */
  deadLetterSubject(definition: EventDefinition | RequestDefinition): string {
    return `${this.prefix}.dead.v${definition.version}.${definition.name}`;
  }

  deadLetterStreamSubjects(): string[] {
    return [`${this.prefix}.dead.>`];
  }

  deadLetterStreamName(): string {
    return `${this.prefix}_DEAD_LETTER`.toUpperCase().replace(/-/g, '_');
  }

  /** A key-value bucket: `mail_directory_v1` (its stream is `KV_mail_directory_v1`). */
  bucketName(bucket: BucketDefinition): string {
    return `${this.prefix}_${bucket.name}_v${bucket.version}`;
  }

  /** The object store bucket holding raw message bodies (ObjectStores.bodies). */
  bodyBucket(): string {
    return `${this.prefix}_bodies`;
  }

  /** An object store: `mail_bodies` (its stream is `OBJ_mail_bodies`). */
  objectStoreName(store: ObjectStoreDefinition): string {
    return `${this.prefix}_${store.name}`;
  }
}
