/**
 * Configuration of mailbox-store, read once at start-up from the environment
 * (the shared settings — NATS, logging, HTTP_PORT — come from @mail/config's
 * commonConfig through runService).
 */
import { ConfigError, bool, duration, int, url, type Reader } from '@mail/config';
import { parseApopKey } from './accounts/apop-secret';

/** Where the accounts and mailboxes live. Shared by the service and the `migrate` command. */
export const databaseConfig = {
  /** PostgreSQL connection string; mailbox-store is the only service that uses this database. */
  databaseUrl: url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/mail', ['postgres', 'postgresql']),
  /** Connections kept by one replica. */
  databasePoolSize: int('DATABASE_POOL_SIZE', 10, { min: 1, max: 200 }),
  /** Create the database at start-up when it does not exist yet (development convenience; needs CREATEDB). */
  databaseCreate: bool('DATABASE_CREATE', false),
};

/** Everything the running service reads. */
export const mailboxStoreConfig = {
  ...databaseConfig,
  /**
   * Batches of classified messages stored at once by one replica (each: one
   * transaction for its small messages, its large ones streamed one at a
   * time); the next batch gathers while these are stored.
   */
  storeConcurrency: int('STORE_CONCURRENCY', 2, { min: 1, max: 64 }),
  /** Classified messages taken in one batch at most; their small ones are stored in one transaction (group commit). 1 stores each alone. */
  storeBatchSize: int('STORE_BATCH_SIZE', 64, { min: 1, max: 1000 }),
  /**
   * How long the first message of a batch waits for others before the batch is stored; a full batch goes at once.
   * 25 ms, not less: at a few hundred messages a second a shorter wait makes batches
   * of one or two, and each message then costs about 1.5× the CPU (bench latency
   * scenario, docs/benchmarks.md, issue 15); the price is that much delivery latency
   * at low rates, none on the SMTP reply.
   */
  storeBatchWaitMs: duration('STORE_BATCH_WAIT', '25ms'),
  /** Budget for parsing a message's header metadata; past it the message is stored with minimal metadata. */
  metadataParseTimeoutMs: duration('METADATA_PARSE_TIMEOUT', '2s'),
  /** Octets of the header section handed to the metadata parser at most. */
  metadataMaxHeaderBytes: int('METADATA_MAX_HEADER_BYTES', 256 * 1024, { min: 1024, max: 16 * 1024 * 1024 }),
  /**
   * Octets written to PostgreSQL per statement when storing a message: a
   * larger message is inserted in pieces of this size (store-message.ts), so
   * memory per delivery stays near twice this whatever the message size.
   * Smaller means less memory but more rewriting of the growing value.
   */
  storeWriteChunkBytes: int('STORE_WRITE_CHUNK', 4 * 1024 * 1024, { min: 64 * 1024, max: 64 * 1024 * 1024 }),
  /**
   * Longest a SEARCH TEXT or BODY spends first indexing the messages of its
   * folder not indexed yet; those left are looked in undecoded by that
   * search (a base64 part is not searched inside) and indexed later.
   */
  searchIndexBudgetMs: duration('SEARCH_INDEX_BUDGET', '2s'),
  /**
   * Quiet time after the last delivery before the background indexer gives
   * new messages their search text, so indexing takes spare CPU and not a
   * delivery's; 0 turns the background off (a SEARCH then indexes what it needs).
   */
  searchIndexIdleAfterMs: duration('SEARCH_INDEX_IDLE_AFTER', '10s'),
  /** Octets of a message read for its search text: text and file names past them are not found. */
  searchIndexMaxOctets: int('SEARCH_INDEX_MAX_OCTETS', 8 * 1024 * 1024, { min: 64 * 1024, max: 256 * 1024 * 1024 }),
  /**
   * How long the UIDs of expunged messages are kept for QRESYNC clients
   * (RFC 7162 VANISHED (EARLIER)); a client resynchronising from longer
   * ago is told every UID the folder no longer holds. 0 keeps them for as
   * long as the folder exists.
   */
  expungeRecordRetentionMs: duration('EXPUNGE_RECORD_RETENTION', '30d'),
  /**
   * How long a successful login's password is answered without scrypt
   * (about 50 ms of CPU each) when the same password comes again for the
   * same stored hash — a changed password misses at once; failures are
   * never kept. 0 verifies every login by scrypt.
   */
  authCacheTtlMs: duration('AUTH_CACHE_TTL', '15m'),
  /** Recent successful logins kept by one replica for AUTH_CACHE_TTL (about 150 octets each); 0 keeps none. */
  authCacheEntries: int('AUTH_CACHE_ENTRIES', 20_000, { min: 0, max: 10_000_000 }),
  /**
   * How often the directory replica (the accounts as smtp-ingress answers
   * RCPT from them) is compared with the tables and repaired, besides at
   * start and after a failed update; 0 only at those times.
   */
  directoryRebuildIntervalMs: duration('DIRECTORY_REBUILD_INTERVAL', '10m'),
  /**
   * Key that seals APOP secrets in the database (AES-256-GCM; 64 hex digits
   * or base64 of 32 octets). Needed only to set or check APOP secrets.
   */
  apopSecretKey: apopKey('APOP_SECRET_KEY'),
};

/** An optional 32-octet key. */
function apopKey(name: string): Reader<Buffer | undefined> {
  return (env) => {
    const value = env[name]?.trim();
    if (value === undefined || value === '') return undefined;
    const key = parseApopKey(value);
    if (key === undefined) throw new ConfigError(name, '32 random octets as 64 hex digits or base64 (e.g. `openssl rand -hex 32`)', '<redacted>');
    return key;
  };
}
