/**
 * spam-filter: consumes received mail, checks the client IP against the
 * configured DNSBL zones (through dns2, cached in Redis), attaches a verdict
 * and the header lines to add, and publishes the classified mail.
 */
import { Consumers } from '@mail/contracts';
import { Dns2Resolver } from '@mail/dns';
import { runService } from '@mail/runtime';
import { Redis } from 'ioredis';
import { createClassifyHandler } from './classify-handler';
import { spamFilterConfig } from './config';
import { DnsblChecker } from './dnsbl/dnsbl-checker';
import { parseZoneSpec } from './dnsbl/zone-spec';

await runService({
  name: 'spam-filter',
  defaultHttpPort: 9102,
  config: spamFilterConfig,
  async start({ config, bus, log, telemetry }) {
    const zones = config.dnsblZones.map(parseZoneSpec);
    const redis = new Redis(config.redisUrl, { keyPrefix: config.redisKeyPrefix, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    telemetry.health.add('redis', async () => {
      await redis.ping();
    });
    const resolver = new Dns2Resolver({ servers: config.dnsServers, timeoutMs: config.dnsTimeoutMs });
    const verdicts = telemetry.meter.createCounter('mail_spam_verdicts_total', { description: 'Spam verdicts by action' });
    const handler = createClassifyHandler({
      bus,
      dnsbl: new DnsblChecker(resolver, redis, zones, config.dnsblCheckPrivate),
      thresholds: { tagScore: config.tagScore, junkScore: config.junkScore },
      hostname: config.mailHostname,
      log,
      onVerdict: (action) => verdicts.add(1, { action }),
    });
    const consumer = await bus.consume(Consumers.spamFilter, handler, { concurrency: config.concurrency });
    log.info({ zones: zones.map((z) => z.source) }, 'consuming received mail');
    return {
      async stop() {
        await consumer.stop();
        redis.disconnect();
      },
    };
  },
});
