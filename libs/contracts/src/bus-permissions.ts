/**
 * The NATS permissions of each bus party, made from its role (bus-roles.ts):
 * the subjects it may publish to and subscribe to, whether it answers
 * requests, and the inbox prefix its replies come to. They include what
 * JetStream needs behind the typed API of @mail/bus: the `$JS.API` requests
 * of the streams and consumers the party provisions and reads, the acks of
 * its own durable consumers, the subjects of key-value buckets and object
 * stores. nats-server checks them (tools/nats-auth writes its
 * `authorization` block from here), so a service that is taken over can
 * still only do its own part: pop3-server cannot queue outbound mail, and
 * mailctl cannot inject inbound mail.
 */
import { busRole, objectStoresOf, type BusRole } from './bus-roles';
import type { BusParty, StreamDefinition } from './definitions';
import type { BusNamespace } from './namespace';

export interface BusPermissions {
  readonly party: BusParty;
  /** Subjects it may publish to (nats-server `publish.allow`), sorted. */
  readonly publish: readonly string[];
  /** Subjects it may subscribe to (`subscribe.allow`), sorted. */
  readonly subscribe: readonly string[];
  /** It answers requests: one reply to the reply subject of each request it received (`allow_responses`). */
  readonly allowResponses: boolean;
  /** The prefix of its inboxes (nats.js `inboxPrefix`): no other party may subscribe there. */
  readonly inboxPrefix: string;
}

/** Where the replies to a party's requests (and JetStream's answers to it) are sent: `_INBOX_smtp-ingress`. */
export function inboxPrefixOf(party: BusParty): string {
  return `_INBOX_${party}`;
}

/** JetStream's API subjects (nats-server ADR-1 and the JetStream wire API), by what they do to which stream. */
const jsApi = {
  accountInfo: '$JS.API.INFO',
  provisionStream: (stream: string) => ['INFO', 'CREATE', 'UPDATE'].map((verb) => `$JS.API.STREAM.${verb}.${stream}`),
  streamInfo: (stream: string) => [`$JS.API.STREAM.INFO.${stream}`],
  /** A durable consumer: create it (the filtered form names the filter after the durable), read its state, pull, ack. */
  durable: (stream: string, durable: string) => [
    `$JS.API.CONSUMER.CREATE.${stream}.${durable}`,
    `$JS.API.CONSUMER.CREATE.${stream}.${durable}.>`,
    `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.${durable}`,
    `$JS.API.CONSUMER.INFO.${stream}.${durable}`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.${durable}`,
    `$JS.ACK.${stream}.${durable}.>`,
  ],
  /** Ordered consumers (ephemeral, generated names): a pull or push reader of a whole stream or of one subject. */
  orderedConsumers: (stream: string) => [
    `$JS.API.CONSUMER.CREATE.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.INFO.${stream}.>`,
    `$JS.API.CONSUMER.DELETE.${stream}.>`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.>`,
    // flow control of push consumers (a key-value watch)
    `$JS.FC.${stream}.>`,
  ],
  /** The last message of a subject (an object's metadata), direct or through the stream leader. */
  lastMessage: (stream: string) => [`$JS.API.DIRECT.GET.${stream}`, `$JS.API.DIRECT.GET.${stream}.>`, `$JS.API.STREAM.MSG.GET.${stream}`],
  purge: (stream: string) => [`$JS.API.STREAM.PURGE.${stream}`],
};

function publishSubjects(ns: BusNamespace, role: BusRole): string[] {
  const subjects = [jsApi.accountInfo];
  const streamName = (stream: StreamDefinition) => ns.streamName(stream);
  for (const stream of role.provisions) subjects.push(...jsApi.provisionStream(streamName(stream)));
  if (role.provisionsDeadLetter) subjects.push(...jsApi.provisionStream(ns.deadLetterStreamName()));
  for (const event of role.produces) subjects.push(ns.eventSubject(event));
  for (const consumer of role.consumes) subjects.push(...jsApi.durable(streamName(consumer.event.stream), consumer.durable), ns.deadLetterSubject(consumer.event));
  for (const request of role.serves) subjects.push(ns.deadLetterSubject(request));
  for (const request of role.requests) subjects.push(ns.requestSubject(request));
  // a keyed notice goes out on its key's subject; the unkeyed one stays allowed for a sender of the release before keys (rolling update)
  for (const notice of role.notifies) subjects.push(ns.noticeSubject(notice), ...(notice.keyOf === undefined ? [] : [ns.noticeKeySubjects(notice)]));
  for (const bucket of role.readsBuckets) subjects.push(...jsApi.provisionStream(`KV_${ns.bucketName(bucket)}`), ...jsApi.orderedConsumers(`KV_${ns.bucketName(bucket)}`));
  for (const bucket of role.writesBuckets) subjects.push(`$KV.${ns.bucketName(bucket)}.>`);
  for (const store of objectStoresOf(role)) {
    subjects.push(...jsApi.provisionStream(`OBJ_${ns.objectStoreName(store)}`), ...jsApi.lastMessage(`OBJ_${ns.objectStoreName(store)}`));
  }
  for (const store of role.writesObjects) subjects.push(`$O.${ns.objectStoreName(store)}.>`);
  for (const store of role.readsObjects) subjects.push(...jsApi.orderedConsumers(`OBJ_${ns.objectStoreName(store)}`));
  // a delete marks the object's metadata deleted and purges its chunks
  for (const store of role.deletesObjects) subjects.push(`$O.${ns.objectStoreName(store)}.M.>`, ...jsApi.purge(`OBJ_${ns.objectStoreName(store)}`));
  for (const stream of role.inspects) subjects.push(...jsApi.streamInfo(streamName(stream)), ...jsApi.orderedConsumers(streamName(stream)));
  return subjects;
}

/** The permissions of `party` in namespace `ns`. */
export function busPermissions(ns: BusNamespace, party: BusParty): BusPermissions {
  const role = busRole(party);
  const inboxPrefix = inboxPrefixOf(party);
  // a listener of a keyed notice subscribes per key, and to the unkeyed subject that senders before keys used
  const notices = role.listens.flatMap((notice) => (notice.keyOf === undefined ? [ns.noticeSubject(notice)] : [ns.noticeSubject(notice), ns.noticeKeySubjects(notice)]));
  const subscribe = [`${inboxPrefix}.>`, ...role.serves.map((request) => ns.requestSubject(request)), ...notices];
  return {
    party,
    publish: [...new Set(publishSubjects(ns, role))].sort(),
    subscribe: [...new Set(subscribe)].sort(),
    allowResponses: role.serves.length > 0,
    inboxPrefix,
  };
}
