/**
 * What each party does on the bus, read from the catalog's definitions
 * (their producers, owners, servers, clients, writers, readers and
 * inspectors) rather than written down a second time. The bus provisions
 * what a service's role touches, and bus-permissions.ts turns a role into
 * the NATS subjects that party may use.
 */
import { serviceNames } from '@mail/service-catalog';
import { Buckets, Consumers, Events, Notices, ObjectStores, Requests, Streams } from './catalog';
import type { BucketDefinition, BusParty, ConsumerDefinition, EventDefinition, NoticeDefinition, ObjectStoreDefinition, RequestDefinition, StreamDefinition } from './definitions';

/** Every party of the bus: the services in catalog order, then mailctl. */
export const busParties: readonly BusParty[] = [...serviceNames, 'mailctl'];

/** One party's part in the catalog. */
export interface BusRole {
  readonly party: BusParty;
  /** Events it publishes. */
  readonly produces: readonly EventDefinition[];
  /** Durable consumers it runs (and whose failures it dead-letters). */
  readonly consumes: readonly ConsumerDefinition[];
  /** Requests it answers. */
  readonly serves: readonly RequestDefinition[];
  /** Requests it sends. */
  readonly requests: readonly RequestDefinition[];
  /** Notices it sends, and those it listens to (core NATS). */
  readonly notifies: readonly NoticeDefinition[];
  readonly listens: readonly NoticeDefinition[];
  /** Key-value buckets it writes, and those it watches (a writer may watch its own). */
  readonly writesBuckets: readonly BucketDefinition[];
  readonly readsBuckets: readonly BucketDefinition[];
  /** Object stores it writes to, reads from, deletes from. */
  readonly writesObjects: readonly ObjectStoreDefinition[];
  readonly readsObjects: readonly ObjectStoreDefinition[];
  readonly deletesObjects: readonly ObjectStoreDefinition[];
  /** Streams it reads whole for inspection (mailctl trace). */
  readonly inspects: readonly StreamDefinition[];
  /** Streams it creates or updates at start-up: those it publishes to or consumes from. */
  readonly provisions: readonly StreamDefinition[];
  /** It creates the dead-letter stream: a consumer moves what it cannot process there. */
  readonly provisionsDeadLetter: boolean;
}

const includes = (parties: readonly BusParty[] | undefined, party: BusParty) => parties?.includes(party) ?? false;

export function busRole(party: BusParty): BusRole {
  const produces = Object.values(Events).filter((event) => includes(event.producers, party));
  const consumes = Object.values(Consumers).filter((consumer) => consumer.owner === party);
  const buckets = Object.values(Buckets);
  const objects = Object.values(ObjectStores);
  const touched = new Set<StreamDefinition>([...produces.map((event) => event.stream), ...consumes.map((consumer) => consumer.event.stream)]);
  return {
    party,
    produces,
    consumes,
    serves: Object.values(Requests).filter((request) => request.queueGroup === party),
    requests: Object.values(Requests).filter((request) => includes(request.clients, party)),
    notifies: Object.values(Notices).filter((notice) => includes(notice.producers, party)),
    listens: Object.values(Notices).filter((notice) => includes(notice.listeners, party)),
    writesBuckets: buckets.filter((bucket) => includes(bucket.writers, party)),
    readsBuckets: buckets.filter((bucket) => includes(bucket.readers, party) || includes(bucket.writers, party)),
    writesObjects: objects.filter((store) => includes(store.writers, party)),
    readsObjects: objects.filter((store) => includes(store.readers, party)),
    deletesObjects: objects.filter((store) => includes(store.deleters, party)),
    inspects: Object.values(Streams).filter((stream) => includes(stream.inspectors, party)),
    provisions: Object.values(Streams).filter((stream) => touched.has(stream)),
    provisionsDeadLetter: consumes.length > 0,
  };
}

/** The object stores a role uses at all (each is opened, or created, at connection). */
export function objectStoresOf(role: BusRole): ObjectStoreDefinition[] {
  return [...new Set([...role.writesObjects, ...role.readsObjects, ...role.deletesObjects])];
}
