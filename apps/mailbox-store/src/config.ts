/**
 * Configuration of mailbox-store, read once at start-up from the environment
 * (the shared settings — NATS, logging, HTTP_PORT — come from @mail/config's
 * commonConfig through runService).
 */
import { bool, duration, int, url } from '@mail/config';

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
  /** Classified messages stored at once by one replica. */
  storeConcurrency: int('STORE_CONCURRENCY', 8, { min: 1, max: 256 }),
  /** Budget for parsing a message's header metadata; past it the message is stored with minimal metadata. */
  metadataParseTimeoutMs: duration('METADATA_PARSE_TIMEOUT', '2s'),
  /** Octets of the header section handed to the metadata parser at most. */
  metadataMaxHeaderBytes: int('METADATA_MAX_HEADER_BYTES', 256 * 1024, { min: 1024, max: 16 * 1024 * 1024 }),
};
