/**
 * mailbox-store wiring: migrate the schema, rebuild the directory replica,
 * then answer the directory, maildrop and admin requests and consume
 * classified mail in batches. The only process that touches its PostgreSQL
 * tables.
 */
import type { ParsedConfig } from '@mail/config';
import { Buckets, Consumers, Events, Notices, Requests, type MailboxChanged } from '@mail/contracts';
import type { RunningService, ServiceContext, ServiceDefinition } from '@mail/runtime';
import { ApopSecretCipher } from './accounts/apop-secret';
import { DirectoryPublication } from './accounts/directory-publication';
import { PasswordVerifier } from './accounts/password';
import { createCredentialMetrics } from './accounts/credential-metrics';
import { VerifiedCredentials } from './accounts/verified-credentials';
import { mailboxStoreConfig } from './config';
import { ensureDatabase } from './database/ensure-database';
import { loadMigrations, migrate } from './database/migrator';
import { checkDatabase, createPool } from './database/pool';
import { observePool } from './database/pool-metrics';
import { createClassifiedBatchHandler } from './delivery/classified-batch-handler';
import { announceStep } from './delivery/crash-points';
import { ExpungeRecordPruner } from './mailbox/expunge-record-pruner';
import { createDeliveryMetrics } from './delivery/delivery-metrics';
import { admin } from './requests/admin';
import type { PublishFeedback } from './requests/admin-messages';
import { serveImapRequests } from './requests/imap-requests';
import { expunge } from './requests/expunge';
import { fetchChunk } from './requests/fetch-chunk';
import { fetchMessages } from './requests/fetch-messages';
import { listMailbox } from './requests/list-mailbox';
import { resolveRecipient } from './requests/resolve-recipient';
import { verifyApop } from './requests/verify-apop';
import { verifyCredentials } from './requests/verify-credentials';
import { createSearchIndexMetrics } from './search-index/search-index-metrics';
import { SearchIndexer } from './search-index/search-indexer';

/** How often old expunge records are looked for (and at start-up). */
const EXPUNGE_PRUNE_INTERVAL_MS = 60 * 60 * 1000;

export type MailboxStoreContext = ServiceContext<ParsedConfig<typeof mailboxStoreConfig>>;

export const mailboxStoreService: ServiceDefinition<typeof mailboxStoreConfig> = {
  name: 'mailbox-store',
  config: mailboxStoreConfig,
  start: startMailboxStore,
};

async function startMailboxStore({ config, log, bus, telemetry }: MailboxStoreContext): Promise<RunningService> {
  if (config.databaseCreate) await ensureDatabase(config.databaseUrl, log);
  const pool = createPool({ url: config.databaseUrl, size: config.databasePoolSize, log });
  observePool(pool, config.databasePoolSize);
  const applied = await migrate(pool, await loadMigrations());
  log.info({ applied }, applied.length > 0 ? 'applied schema migrations' : 'schema is up to date');
  telemetry.health.add('postgres', () => checkDatabase(pool));
  // The replica smtp-ingress answers RCPT from: complete before the first request is served, repaired periodically
  const directory = new DirectoryPublication(pool, await bus.bucket(Buckets.directory), log);
  await directory.rebuildOrHeal();
  const rebuilds = config.directoryRebuildIntervalMs > 0 ? setInterval(() => void directory.rebuildOrHeal(), config.directoryRebuildIntervalMs).unref() : undefined;

  bus.serve(Requests.resolveRecipient, resolveRecipient(pool));
  const verified = new VerifiedCredentials({ ttlMs: config.authCacheTtlMs, maxEntries: config.authCacheEntries });
  const passwords = new PasswordVerifier({ verified, onOutcome: createCredentialMetrics(telemetry.meter, verified).observe });
  bus.serve(Requests.verifyCredentials, verifyCredentials(pool, passwords));
  bus.serve(Requests.listMailbox, listMailbox(pool));
  bus.serve(Requests.fetchChunk, fetchChunk(pool));
  bus.serve(Requests.fetchMessages, fetchMessages(pool));
  const notify = (notices: readonly MailboxChanged[]) => notices.forEach((notice) => bus.notify(Notices.mailboxChanged, notice));
  bus.serve(Requests.expunge, expunge(pool, notify));
  const apopCipher = config.apopSecretKey === undefined ? undefined : new ApopSecretCipher(config.apopSecretKey);
  if (apopCipher === undefined) log.info('APOP_SECRET_KEY not set: APOP secrets cannot be set or checked');
  bus.serve(Requests.verifyApop, verifyApop(pool, apopCipher, log));
  const publishFeedback: PublishFeedback = (payload, msgId) => bus.publish(Events.feedbackClassified, payload, msgId);
  bus.serve(Requests.admin, admin({ pool, log, apopCipher, directory, publishFeedback, notify }));
  const budget = { timeoutMs: config.metadataParseTimeoutMs, maxHeaderBytes: config.metadataMaxHeaderBytes };
  // SEARCH TEXT/BODY's index, filled off the delivery path: by a search for its folder, and in the background when deliveries are quiet
  const searchIndexer = new SearchIndexer({
    pool,
    log,
    metrics: createSearchIndexMetrics(telemetry.meter),
    folderBudgetMs: config.searchIndexBudgetMs,
    idleAfterMs: config.searchIndexIdleAfterMs,
    maxOctets: config.searchIndexMaxOctets,
  });
  serveImapRequests(bus, pool, { publishFeedback, notify, bodies: bus.bodies, budget, writeChunkBytes: config.storeWriteChunkBytes, searchIndexer });

  const storeBatch = createClassifiedBatchHandler({
    pool,
    bodies: bus.bodies,
    budget,
    writeChunkBytes: config.storeWriteChunkBytes,
    log,
    metrics: createDeliveryMetrics(telemetry.meter),
    publish: (outgoing) => bus.publish(Events.deliveryEvent, outgoing.payload, outgoing.msgId),
    onStep: announceStep,
    notify,
  });
  const handler: typeof storeBatch = (batch) => {
    searchIndexer.noteDelivery();
    return storeBatch(batch);
  };
  const consumer = await bus.consumeBatches(Consumers.mailboxStore, handler, {
    maxBatch: config.storeBatchSize,
    maxWaitMs: config.storeBatchWaitMs,
    concurrency: config.storeConcurrency,
  });

  searchIndexer.start();
  const expungeRecords = new ExpungeRecordPruner({ pool, log, retentionMs: config.expungeRecordRetentionMs, intervalMs: EXPUNGE_PRUNE_INTERVAL_MS });
  expungeRecords.start();

  return {
    async stop() {
      clearInterval(rebuilds);
      directory.stop();
      await expungeRecords.stop();
      await searchIndexer.stop();
      await consumer.stop();
      await pool.end();
    },
  };
}
