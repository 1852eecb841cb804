/**
 * imap-server: serves the mailboxes of mailbox-store over IMAP4rev2 (RFC
 * 9051, also answering IMAP4rev1 clients) with STARTTLS, AUTHENTICATE
 * PLAIN, IDLE, UIDPLUS, MOVE, SPECIAL-USE, NAMESPACE, ID, ENABLE,
 * LITERAL+ and QUOTA, and over IMAPS when IMAPS_PORT is set. It keeps no
 * mail: folders, flags, UIDs and message octets are requests to
 * mailbox-store over NATS; mailbox.changed notices wake the sessions that
 * have a changed folder selected (IDLE on every replica); the failed-login
 * counters and the connections open per client network live in Redis so
 * replicas share them.
 */
import { Notices } from '@mail/contracts';
import { ImapResponseError } from '@mail/imap';
import { RedisConnectionSlots, RedisLoginThrottle } from '@mail/login-limits';
import { TlsCertificates, type ServiceDefinition } from '@mail/runtime';
import { imapServerConfig } from './config';
import { BusMailboxStoreClient } from './mailbox/mailbox-store-client';
import { createImapMetrics } from './metrics';
import { ImapServer } from './server';
import { NoticeChangeFeed } from './session/mailbox-change-feed';
import type { SessionDependencies } from './session/session';

/** RFC 9051 §5.4: the autologout timer must be at least 30 minutes. */
const RFC_MINIMUM_IDLE_MS = 30 * 60_000;

export const imapServerService: ServiceDefinition<typeof imapServerConfig> = {
  name: 'imap-server',
  config: imapServerConfig,
  async start({ config, bus, log, telemetry, redis }) {
    if (config.idleTimeoutMs < RFC_MINIMUM_IDLE_MS) log.warn({ idleTimeoutMs: config.idleTimeoutMs }, 'IMAP_IDLE_TIMEOUT is below the 30 minutes of RFC 9051 §5.4');
    const tls = await TlsCertificates.load(config, { intervalMs: config.tlsReloadIntervalMs, log });
    if (config.imapsPort !== undefined && tls === undefined) throw new Error('IMAPS_PORT needs TLS_CERT_FILE and TLS_KEY_FILE (implicit TLS has no plain-text fallback)');
    const metrics = createImapMetrics(telemetry.meter, { maxConnections: config.maxConnections });
    // Each user's notices while one of the user's folders is selected here (the notices are keyed by user)
    const changes: NoticeChangeFeed = new NoticeChangeFeed((user) => bus.listen(Notices.mailboxChanged, (notice) => changes.deliver(notice), { key: user }));
    // Notices without a key, from a mailbox-store of an earlier release during a rolling update
    const listening = bus.listen(Notices.mailboxChanged, (notice) => changes.deliver(notice));
    const deps: SessionDependencies = {
      settings: {
        hostname: config.mailHostname,
        tls,
        allowPlaintextAuth: config.allowPlaintextAuth,
        maxErrors: config.maxErrors,
        idleTimeoutMs: config.idleTimeoutMs,
        failureReplyDelayMs: config.authFailureDelayMs,
        blockedReplyDelayMs: config.authBlockedDelayMs,
      },
      store: new BusMailboxStoreClient(bus, { timeoutMs: config.storeTimeoutMs }),
      throttle: new RedisLoginThrottle(redis(), {
        keyPrefix: 'imap', // apart from POP3's: the limits of the two protocols are set separately
        limits: { maxFailuresPerUser: config.authMaxFailuresPerUser, maxFailuresPerNetwork: config.authMaxFailuresPerNetwork, windowMs: config.authFailureWindowMs },
        log,
        onLockout: (scope) => metrics.authLockout(scope),
        unavailable: (cause) => new ImapResponseError('NO', 'Cannot check logins right now, try again later', { code: 'UNAVAILABLE', userFault: false, cause }),
      }),
      metrics,
      changes,
      log,
      loginTimeoutMs: config.loginTimeoutMs,
    };
    const limits = {
      maxConnections: config.maxConnections,
      open: { count: 0 }, // one cap for IMAP and IMAPS
      // apart from POP3's slots, as the login limits
      slots: new RedisConnectionSlots(redis(), { keyPrefix: 'imap', maxPerNetwork: config.maxConnectionsPerIp, log }),
    };
    const servers = [new ImapServer(deps, limits)];
    if (config.imapsPort !== undefined && tls !== undefined) servers.push(new ImapServer(deps, { ...limits, implicitTls: tls }));
    telemetry.health.add('imap-listener', () => {
      if (!servers.every((server) => server.listening)) throw new Error('IMAP listener not open');
    });
    const address = await servers[0]?.listen(config.imapPort, config.listenHost);
    log.info({ host: address?.address, port: address?.port, starttls: tls !== undefined }, 'IMAP listening');
    if (config.imapsPort !== undefined) {
      const secure = await servers[1]?.listen(config.imapsPort, config.listenHost);
      log.info({ host: secure?.address, port: secure?.port }, 'IMAPS listening');
    }
    return {
      async stop() {
        await Promise.all(servers.map((server) => server.stop(config.shutdownGraceMs)));
        listening.stop();
      },
    };
  },
};
