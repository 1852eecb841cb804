/**
 * spam-filter: consumes received mail and scores it — the client IP
 * against DNSBL zones, sender and linked domains against domain lists,
 * SPF/DKIM/DMARC, a Bayes classifier — then attaches the verdict and the
 * header lines to add and publishes the classified mail. It also answers
 * smtp-ingress's in-session screening (`spam.screen`), mailctl's training
 * and statistics (`spam.train`, `spam.stats`), and learns from Junk moves
 * (`feedback.classified`). Shared state (DNS list answers and zone health,
 * token statistics) lives in Redis, so replicas agree.
 */
import { Consumers, Requests } from '@mail/contracts';
import { CachingResolver, Dns2Resolver } from '@mail/dns';
import type { ServiceDefinition } from '@mail/runtime';
import { mailauthResolver } from './auth/mailauth-resolver';
import { BayesClassifier } from './bayes/bayes-classifier';
import { TokenStore } from './bayes/token-store';
import { createClassifyHandler } from './classify-handler';
import { spamFilterConfig } from './config';
import { createDnsListMetrics } from './dnsbl/dns-list-metrics';
import { DnsblChecker } from './dnsbl/dnsbl-checker';
import { DomainListChecker } from './dnsbl/domain-list-checker';
import { startSelfTests } from './dnsbl/self-test-schedule';
import { ZoneHealth } from './dnsbl/zone-health';
import { ZoneQuery } from './dnsbl/zone-query';
import { zoneStates } from './dnsbl/zone-states';
import { MessageScorer } from './scoring/message-scorer';
import { createScreenHandler } from './screening/screen-client';
import { createSpamMetrics } from './spam-metrics';
import { FeedbackCounts } from './training/feedback-counts';
import { Learner } from './training/learner';
import { createFeedbackHandler, createStatsHandler, createTrainHandler } from './training/training-handlers';
import { ruleNames, ruleScores } from './verdict/rule-scores';

export const spamFilterService: ServiceDefinition<typeof spamFilterConfig> = {
  name: 'spam-filter',
  config: spamFilterConfig,
  async start({ config, bus, log, telemetry, redis: sharedRedis }) {
    // Scoring does without Redis when it fails (the DNS-list cache misses and asks DNS, Bayes is left out)
    const redis = sharedRedis();
    const resolver = new Dns2Resolver({ servers: config.dnsServers, timeoutMs: config.dnsTimeoutMs });
    const scores = ruleScores(config.scoreOverrides);
    const metrics = createSpamMetrics(telemetry.meter, ruleNames);

    const health = new ZoneHealth(redis, Math.max(3 * config.selfTestIntervalMs, 3_600_000));
    const query = new ZoneQuery(
      resolver,
      redis,
      health,
      createDnsListMetrics(
        telemetry.meter,
        health,
        [...config.dnsblZones, ...config.dblZones].map((spec) => spec.zone),
      ),
    );
    const dnsbl = new DnsblChecker(query, health, config.dnsblZones, config.dnsblCheckPrivate);
    const domainLists = new DomainListChecker(query, health, config.dblZones);
    const zones = [...config.dnsblZones.map((spec) => ({ spec, kind: 'ip' as const })), ...config.dblZones.map((spec) => ({ spec, kind: 'domain' as const }))];
    const selfTests = startSelfTests({ redis, resolver, health, zones: zones.map((z) => ({ zone: z.spec.zone, kind: z.kind })), intervalMs: config.selfTestIntervalMs, log });

    // SPF, DKIM and DMARC ask the same few names for every message of a sender: kept for their TTL in this process (the DNS lists keep theirs in Redis).
    const authDns = new CachingResolver(resolver, { maxEntries: config.authDnsCacheSize, onLookup: (outcome) => metrics.authDnsLookup(outcome) });
    const store = new TokenStore(redis);
    const classifier = new BayesClassifier(store, config.bayesMinMessages);
    const learner = new Learner(classifier, store, metrics);
    const scorer = new MessageScorer({
      bodies: bus.bodies,
      redis,
      zones: { query, health },
      dnsbl,
      domainLists,
      bayes: classifier,
      authenticator: { resolver: mailauthResolver(authDns), hostname: config.mailHostname, timeoutMs: config.authTimeoutMs, scores },
      allowList: config.allowList,
      scores,
      log,
      onParse: (place) => metrics.contentParsed(place),
    });

    bus.serve(
      Requests.screenClient,
      createScreenHandler({
        dnsbl,
        allowList: config.allowList,
        rejectScore: config.rejectScore,
        timeoutMs: config.screenTimeoutMs,
        scores,
        onScreen: (response, clientIp) => {
          metrics.screened(response.action);
          if (response.action === 'reject') log.info({ clientIp, score: response.score, reasons: response.reasons }, 'client refused');
        },
      }),
    );
    bus.serve(Requests.spamTrain, createTrainHandler(learner, log));
    const feedbackCounts = new FeedbackCounts(redis);
    bus.serve(Requests.spamStats, createStatsHandler({ classifier, store, feedback: feedbackCounts, zones: () => zoneStates(health, zones) }));
    const thresholds = { tagScore: config.tagScore, junkScore: config.junkScore };
    const handler = createClassifyHandler({ bus, scorer, thresholds, hostname: config.mailHostname, log, onVerdict: (verdict) => metrics.verdict(verdict) });
    // Received mail is pulled last, once every JetStream API call of the start-up (each consumer's add and info) has
    // been answered: a replica starting beside a backlog (a rolling update's surge) that pulled received mail first
    // got no answer to the next consumer's API call within 15 s on a loaded machine, and exited during start-up
    const feedback = await bus.consume(Consumers.spamFeedback, createFeedbackHandler(learner, bus.bodies, log, feedbackCounts), { concurrency: 4 });
    const consumer = await bus.consumeBatches(Consumers.spamFilter, handler, { maxBatch: config.batchSize, maxWaitMs: config.batchWaitMs, concurrency: config.concurrency });
    log.info({ dnsblZones: config.dnsblZones.map((z) => z.source), dblZones: config.dblZones.map((z) => z.source) }, 'consuming received mail');
    return {
      async stop() {
        await Promise.all([consumer.stop(), feedback.stop(), selfTests.stop()]);
      },
    };
  },
};
