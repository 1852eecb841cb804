/** spam-filter configuration, read once at start-up. */
import { bool, ConfigError, duration, hostPortList, int, list, optionalString, type Reader } from '@mail/config';
import { parseAllowList, type AllowList } from './allow/allow-list';
import { parseZoneSpec, splitZoneList, ZoneSpecError, type ZoneSpec } from './dnsbl/zone-spec';
import { parseScoreOverrides, type ScoreOverrides } from './verdict/rule-scores';

/** A decimal number such as `5` or `6.5`, as SpamAssassin writes its thresholds. */
function decimal(name: string, fallback: number): Reader<number> {
  return (env) => {
    const value = env[name]?.trim();
    if (value === undefined || value === '') return fallback;
    if (!/^-?\d+(\.\d+)?$/.test(value)) throw new ConfigError(name, 'a number such as 5 or 6.5', value);
    return Number(value);
  };
}

/**
 * Zone specs, each checked at start-up so a typo stops the service with the
 * variable's name. A zone listed without a weight takes `defaultWeight`:
 * the reject score for DNSBL zones (a listed client is refused, as Postfix's
 * reject_rbl_client does), the junk score for domain lists (known only
 * after DATA, where Junk is the strongest action).
 */
function zones(name: string, defaultWeight: Reader<number>): Reader<ZoneSpec[]> {
  return (env) => {
    const weight = defaultWeight(env);
    try {
      return splitZoneList(list(name)(env)).map((entry) => parseZoneSpec(entry, weight));
    } catch (error) {
      if (!(error instanceof ZoneSpecError)) throw error;
      throw new ConfigError(name, `a comma-separated list of zone[=127.0.0.[2..11]][*weight] (${error.problem})`, error.entry);
    }
  };
}

function allowList(): Reader<AllowList> {
  return (env) => parseAllowList(list('SPAM_ALLOW_SENDERS')(env), list('SPAM_ALLOW_IPS')(env));
}

function scoreOverrides(): Reader<ScoreOverrides> {
  return (env) => parseScoreOverrides(optionalString('SPAM_RULE_SCORES')(env));
}

/** Score at or above which a message goes to the recipient's Junk folder. */
const junkScore = decimal('SPAM_JUNK_SCORE', 8);
/** DNSBL score at or above which a client is refused during the SMTP session (spam.screen). */
const rejectScore = decimal('SPAM_REJECT_SCORE', 10);

export const spamFilterConfig = {
  /** DNS servers for DNSBL, domain list and SPF/DKIM/DMARC lookups (host:port, comma-separated); default: the system's. */
  dnsServers: hostPortList('DNS_SERVERS', 53),
  /**
   * DNSBL zones for the client IP: `zone[=codes][*weight]`. A zone without a weight refuses listed clients
   * (its weight is SPAM_REJECT_SCORE, like Postfix's reject_rbl_client): `zen.spamhaus.org`; one meant to add points
   * takes its weight: `zen.spamhaus.org=127.0.0.[10..11]*3`.
   */
  dnsblZones: zones('DNSBL_ZONES', rejectScore),
  /**
   * Domain lists (RFC 5782 §2.3) for the sender's domains and the domains linked from the body, same form;
   * a zone without a weight files mail naming a listed domain in Junk (its weight is SPAM_JUNK_SCORE).
   */
  dblZones: zones('DBL_ZONES', junkScore),
  /** Deadline of each DNS query: DNSBL and domain list lookups, and those of SPF, DKIM and DMARC. */
  dnsTimeoutMs: duration('DNSBL_TIMEOUT', '1500ms'),
  /** How often the RFC 5782 §5 self-test of every zone runs (one replica at a time); a failed zone is tested again sooner, from 5 s doubling. */
  selfTestIntervalMs: duration('DNSBL_SELFTEST_INTERVAL', '5m'),
  /** Check private and loopback client addresses too (tests and local development). */
  dnsblCheckPrivate: bool('DNSBL_CHECK_PRIVATE', false),
  /** Score at or above which a message is tagged `X-Spam-Status: Yes`. */
  tagScore: decimal('SPAM_TAG_SCORE', 5),
  junkScore: junkScore,
  rejectScore: rejectScore,
  /** Longest a spam.screen answer may take (keep it under smtp-ingress's SMTP_SCREEN_TIMEOUT); zones slower than this do not count. */
  screenTimeoutMs: duration('SPAM_SCREEN_TIMEOUT', '1200ms'),
  /** Longest SPF, DKIM and DMARC verification may take for one message. */
  authTimeoutMs: duration('SPAM_AUTH_TIMEOUT', '10s'),
  /** DNS answers of SPF, DKIM and DMARC kept in memory for their TTL (negative ones for their SOA's, failures never); the least recently used go first. 0 keeps none. */
  authDnsCacheSize: int('SPAM_AUTH_DNS_CACHE_SIZE', 10_000, { min: 0, max: 1_000_000 }),
  /** Messages of each class the classifier must have learned before it takes part. */
  bayesMinMessages: int('SPAM_BAYES_MIN_MESSAGES', 200, { min: 1 }),
  /** Senders (`user@domain`, `@domain`) and client addresses (IPs, CIDRs) never treated as spam. */
  allowList: allowList(),
  /** Score overrides, `RULE=score,...` (e.g. `SPF_FAIL=2,BAYES_99=4`). */
  scoreOverrides: scoreOverrides(),
  /**
   * Batches of received messages scored at once by one replica (each: one
   * Redis round trip for its small messages); the next batch gathers while
   * these are scored.
   */
  concurrency: int('SPAM_FILTER_CONCURRENCY', 2, { min: 1, max: 64 }),
  /** Received messages taken in one batch at most. 1 scores each alone. */
  batchSize: int('SPAM_FILTER_BATCH_SIZE', 64, { min: 1, max: 1000 }),
  /**
   * How long the first message of a batch waits for others before the batch is scored; a full batch goes at once.
   * 25 ms, not less: at a few hundred messages a second a shorter wait makes batches
   * of one or two, and each message then costs about 1.5× the CPU (bench latency
   * scenario, docs/benchmarks.md, issue 15); the price is that much delivery latency
   * at low rates, none on the SMTP reply.
   */
  batchWaitMs: duration('SPAM_FILTER_BATCH_WAIT', '25ms'),
};
