/**
 * pop3-server: serves the maildrops of mailbox-store over POP3 (RFC 1939,
 * with CAPA, RESP-CODES, PIPELINING, TOP, UIDL, USER, STLS and SASL PLAIN).
 * Credentials, listings, message octets and deletions come from
 * mailbox-store over NATS request/reply; the maildrop lock lives in Redis so
 * replicas exclude each other.
 */
import { makeApopTimestamp } from '@mail/pop3';
import { runService } from '@mail/runtime';
import { Redis } from 'ioredis';
import { pop3ServerConfig } from './config';
import { BusMailboxStoreClient } from './maildrop/mailbox-store-client';
import { RedisMaildropLocks } from './maildrop/maildrop-lock';
import { createPop3Metrics } from './metrics';
import { Pop3Server } from './server';
import { loadTlsContext } from './tls-context';

/** RFC 1939 §3: the autologout timer must be at least 10 minutes. */
const RFC_MINIMUM_IDLE_MS = 10 * 60_000;

await runService({
  name: 'pop3-server',
  defaultHttpPort: 9104,
  config: pop3ServerConfig,
  async start({ config, bus, log, telemetry }) {
    makeApopTimestamp(config.mailHostname); // fails early on a MAIL_HOSTNAME unusable in the greeting
    if (config.idleTimeoutMs < RFC_MINIMUM_IDLE_MS) {
      log.warn({ idleTimeoutMs: config.idleTimeoutMs }, 'POP3_IDLE_TIMEOUT is below the 10 minutes of RFC 1939 §3');
    }
    const tls = await loadTlsContext(config);
    const redis = new Redis(config.redisUrl, { keyPrefix: config.redisKeyPrefix, maxRetriesPerRequest: 2 });
    redis.on('error', (error) => log.warn({ err: error }, 'redis connection error'));
    telemetry.health.add('redis', async () => {
      await redis.ping();
    });
    const server = new Pop3Server({
      settings: {
        hostname: config.mailHostname,
        folders: config.folders,
        allowPlaintextAuth: config.allowPlaintextAuth,
        tls,
        maxErrors: config.maxErrors,
      },
      mailbox: new BusMailboxStoreClient(bus, { timeoutMs: config.storeTimeoutMs }),
      locks: new RedisMaildropLocks(redis, { ttlMs: config.lockTtlMs, log }),
      metrics: createPop3Metrics(telemetry.meter),
      log,
      idleTimeoutMs: config.idleTimeoutMs,
    });
    telemetry.health.add('pop3-listener', () => {
      if (!server.listening) throw new Error('POP3 listener not open');
    });
    const address = await server.listen(config.pop3Port, config.listenHost);
    log.info({ host: address.address, port: address.port, stls: tls !== undefined, folders: config.folders }, 'POP3 listening');
    return {
      async stop() {
        await server.stop(config.shutdownGraceMs);
        redis.disconnect();
      },
    };
  },
});
