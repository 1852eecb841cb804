/**
 * smtp-ingress: the SMTP front door. Accepts mail on the inbound MX
 * listener (and the submission listener, which requires AUTH, and when
 * SUBMISSIONS_PORT is set the same over implicit TLS), checks each
 * recipient against its replica of mailbox-store's directory (or, while the
 * replica is not current, asks mailbox-store, falling back to its recent
 * answers while it is down), stores the body in the JetStream object store, publishes
 * `mail.v1.inbound.received`, and only then replies 250. Connection and
 * AUTH limits are shared with the other replicas through Redis; inbound
 * clients are screened against the DNSBLs by spam-filter (answers reused
 * per client IP for their DNS TTL), and named in Received: by their
 * forward-confirmed reverse DNS (answers kept for their TTL).
 */
import { Buckets } from '@mail/contracts';
import { CachingResolver, Dns2Resolver } from '@mail/dns';
import { TlsCertificates, type ServiceDefinition } from '@mail/runtime';
import { busCredentialVerifier } from './auth/credential-verifier';
import { smtpIngressConfig } from './config';
import { DirectoryReplica, replicaFirst } from './directory/directory-replica';
import { busRecipientDirectory, type RecipientDirectory } from './directory/recipient-directory';
import { StaleIfErrorDirectory } from './directory/stale-directory';
import { ForwardConfirmedReverseDns, noReverseDns, type ReverseDns } from './dns/reverse-dns';
import { RedisAuthFailureGuard } from './limits/auth-failures';
import { RedisConnectionLimiter } from './limits/connection-limiter';
import { busMailQueue } from './message/mail-queue';
import { createIngressMetrics } from './metrics';
import { busClientScreening, noScreening, type ClientScreening } from './screening/client-screening';
import { CachedClientScreening } from './screening/screening-cache';
import { IngressServer } from './server/ingress-server';

export const smtpIngressService: ServiceDefinition<typeof smtpIngressConfig> = {
  name: 'smtp-ingress',
  config: smtpIngressConfig,
  async start({ config, bus, log, telemetry, redis: sharedRedis }) {
    const tls = await TlsCertificates.load(config, { intervalMs: config.tlsReloadIntervalMs, log });
    if (config.submissionsPort !== undefined && tls === undefined) {
      throw new Error('SUBMISSIONS_PORT needs TLS_CERT_FILE and TLS_KEY_FILE (implicit TLS has no plain-text fallback)');
    }
    let reverseDns: ReverseDns = noReverseDns;
    try {
      const resolver = new Dns2Resolver({ servers: config.dnsServers, timeoutMs: config.reverseDnsTimeoutMs });
      // A sending host opens many connections: its PTR and A answers are kept for their TTL instead of a DNS round trip each
      const cached = config.reverseDnsCacheSize > 0 ? new CachingResolver(resolver, { maxEntries: config.reverseDnsCacheSize }) : resolver;
      reverseDns = new ForwardConfirmedReverseDns(cached, config.reverseDnsTimeoutMs);
    } catch (error) {
      log.warn({ err: error }, 'no DNS servers: client names in Received: will be "unknown"');
    }
    // Connection and AUTH limits fail open: a Redis error or the client's command timeout admits without counting
    const redis = sharedRedis();
    const metrics = createIngressMetrics(telemetry.meter);
    let screening: ClientScreening = noScreening;
    if (config.screenTimeoutMs > 0) screening = busClientScreening(bus, config.screenTimeoutMs);
    if (config.screenTimeoutMs > 0 && config.screenCacheSize > 0) screening = new CachedClientScreening(screening, { maxEntries: config.screenCacheSize });
    let directory: RecipientDirectory = new StaleIfErrorDirectory(busRecipientDirectory(bus, config.recipientLookupTimeoutMs), {
      maxStaleMs: config.recipientStaleLimitMs,
      onStale: (_address, ageMs) => log.warn({ ageMs }, 'directory unavailable; using a recent answer for RCPT'),
    });
    let replica: DirectoryReplica | undefined;
    if (config.directoryMaxStalenessMs > 0) {
      replica = new DirectoryReplica(await bus.bucket(Buckets.directory), { maxStalenessMs: config.directoryMaxStalenessMs, log });
      const loaded = await replica.start(config.directoryLoadTimeoutMs);
      if (loaded) log.info('directory replica loaded');
      else log.warn({ timeoutMs: config.directoryLoadTimeoutMs }, 'directory replica not loaded yet (has mailbox-store rebuilt it?); RCPT asks mailbox-store until it is');
      directory = replicaFirst(replica, directory);
    }
    const server = new IngressServer(
      {
        settings: {
          hostname: config.mailHostname,
          maxMessageSize: config.maxMessageSize,
          maxLineLength: config.maxLineLength,
          maxRecipients: config.maxRecipients,
          maxErrors: config.maxErrors,
          maxMessagesPerConnection: config.maxMessagesPerConnection,
          allowPlaintextAuth: config.allowPlaintextAuth,
          authFailureDelayMs: config.authFailureDelayMs,
          tls,
        },
        services: {
          directory,
          queue: busMailQueue(bus),
          metrics,
          credentials: busCredentialVerifier(bus, config.authTimeoutMs),
          authFailures: new RedisAuthFailureGuard(
            redis,
            { maxPerIp: config.authMaxFailuresPerIp, maxPerUser: config.authMaxFailuresPerUser, windowMs: config.authFailureWindowMs },
            (error) => log.warn({ err: error }, 'AUTH failure counts unavailable (Redis); checking the password anyway'),
            (scope) => metrics.authLockout(scope),
          ),
        },
        connection: {
          limiter: new RedisConnectionLimiter(redis, config),
          screening,
          trustedProxies: { inbound: config.proxyTrustedInbound, submission: config.proxyTrustedSubmission, submissions: config.proxyTrustedSubmission },
          proxyTimeoutMs: config.proxyTimeoutMs,
          greetPauseMs: config.greetPauseMs,
          sessionTimeoutMs: config.sessionTimeoutMs,
        },
        reverseDns,
        log,
        idleTimeoutMs: config.idleTimeoutMs,
      },
      config.maxConnections,
    );
    const inbound = await server.listen('inbound', config.smtpPort, config.listenHost);
    const submission = await server.listen('submission', config.submissionPort, config.listenHost);
    const submissions = config.submissionsPort === undefined ? undefined : await server.listen('submissions', config.submissionsPort, config.listenHost);
    telemetry.health.add('smtp-listeners', () => {
      if (!server.listening) throw new Error('SMTP listeners are not accepting connections');
    });
    log.info(
      {
        smtpPort: inbound.port,
        submissionPort: submission.port,
        submissionsPort: submissions?.port,
        starttls: tls !== undefined,
        plaintextAuth: config.allowPlaintextAuth,
        proxyTrusted: { inbound: config.proxyTrustedInbound.entries, submission: config.proxyTrustedSubmission.entries },
      },
      'accepting SMTP connections',
    );
    return {
      async stop() {
        await server.stop(config.drainTimeoutMs);
        replica?.stop();
        tls?.stop();
      },
    };
  },
};
