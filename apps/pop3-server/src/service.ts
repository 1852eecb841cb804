/**
 * pop3-server: serves the maildrops of mailbox-store over POP3 (RFC 1939,
 * with CAPA, RESP-CODES, PIPELINING, TOP, UIDL, USER, EXPIRE, STLS, SASL
 * PLAIN and optionally APOP and LOGIN-DELAY), and over POP3S when
 * POP3S_PORT is set. Credentials, listings, message octets and deletions
 * come from mailbox-store over NATS request/reply; the maildrop lock and the
 * failed-login counters live in Redis so replicas share them.
 */
import { RedisConnectionSlots, RedisLoginThrottle } from '@mail/login-limits';
import { Pop3ResponseCode, Pop3ResponseError, makeApopTimestamp } from '@mail/pop3';
import { TlsCertificates, type ServiceDefinition } from '@mail/runtime';
import { RedisLoginDelay, noLoginDelay } from './auth/login-delay';
import { pop3ServerConfig } from './config';
import { BusMailboxStoreClient } from './maildrop/mailbox-store-client';
import { RedisMaildropLocks } from './maildrop/maildrop-lock';
import { createPop3Metrics } from './metrics';
import { Pop3Server } from './server';
import type { SessionDependencies } from './session/session';

/** RFC 1939 §3: the autologout timer must be at least 10 minutes. */
const RFC_MINIMUM_IDLE_MS = 10 * 60_000;

export const pop3ServerService: ServiceDefinition<typeof pop3ServerConfig> = {
  name: 'pop3-server',
  config: pop3ServerConfig,
  async start({ config, bus, log, telemetry, redis: sharedRedis }) {
    makeApopTimestamp(config.mailHostname); // fails early on a MAIL_HOSTNAME unusable in the greeting
    if (config.idleTimeoutMs < RFC_MINIMUM_IDLE_MS) {
      log.warn({ idleTimeoutMs: config.idleTimeoutMs }, 'POP3_IDLE_TIMEOUT is below the 10 minutes of RFC 1939 §3');
    }
    const tls = await TlsCertificates.load(config, { intervalMs: config.tlsReloadIntervalMs, log });
    if (config.pop3sPort !== undefined && tls === undefined) {
      throw new Error('POP3S_PORT needs TLS_CERT_FILE and TLS_KEY_FILE (implicit TLS has no plain-text fallback)');
    }
    const redis = sharedRedis();
    const metrics = createPop3Metrics(telemetry.meter);
    const deps: SessionDependencies = {
      settings: {
        hostname: config.mailHostname,
        folders: config.folders,
        allowPlaintextAuth: config.allowPlaintextAuth,
        tls,
        maxErrors: config.maxErrors,
        apopEnabled: config.apopEnabled,
        blockedReplyDelayMs: config.authBlockedDelayMs,
        failureReplyDelayMs: config.authFailureDelayMs,
      },
      mailbox: new BusMailboxStoreClient(bus, { timeoutMs: config.storeTimeoutMs }),
      locks: new RedisMaildropLocks(redis, { ttlMs: config.lockTtlMs, log }),
      throttle: new RedisLoginThrottle(redis, {
        keyPrefix: 'pop3', // the keys existing deployments count under
        limits: { maxFailuresPerUser: config.authMaxFailuresPerUser, maxFailuresPerNetwork: config.authMaxFailuresPerNetwork, windowMs: config.authFailureWindowMs },
        log,
        onLockout: (scope) => metrics.authLockout(scope),
        unavailable: (cause) => new Pop3ResponseError('cannot check logins right now, try again later', { responseCode: Pop3ResponseCode.SysTemp, cause }),
      }),
      loginDelay: config.loginDelaySeconds > 0 ? new RedisLoginDelay(redis, config.loginDelaySeconds) : noLoginDelay,
      metrics,
      log,
      idleTimeoutMs: config.idleTimeoutMs,
    };
    const limits = {
      maxConnections: config.maxConnections,
      slots: new RedisConnectionSlots(redis, { keyPrefix: 'pop3', maxPerNetwork: config.maxConnectionsPerIp, log }),
      onRefused: (reason: 'per-ip' | 'capacity') => metrics.connectionRefused(reason),
      open: { count: 0 }, // one cap for POP3 and POP3S
    };
    const servers = [new Pop3Server(deps, {}, limits)];
    if (config.pop3sPort !== undefined && tls !== undefined) servers.push(new Pop3Server(deps, { implicitTls: tls }, limits));
    telemetry.health.add('pop3-listener', () => {
      if (!servers.every((server) => server.listening)) throw new Error('POP3 listener not open');
    });
    const address = await servers[0]?.listen(config.pop3Port, config.listenHost);
    log.info({ host: address?.address, port: address?.port, stls: tls !== undefined, apop: config.apopEnabled, folders: config.folders }, 'POP3 listening');
    if (config.pop3sPort !== undefined) {
      const secure = await servers[1]?.listen(config.pop3sPort, config.listenHost);
      log.info({ host: secure?.address, port: secure?.port }, 'POP3S listening');
    }
    return {
      async stop() {
        await Promise.all(servers.map((server) => server.stop(config.shutdownGraceMs)));
        tls?.stop();
      },
    };
  },
};
