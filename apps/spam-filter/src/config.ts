/** spam-filter configuration, read once at start-up. */
import { bool, duration, hostPortList, int, list } from '@mail/config';

export const spamFilterConfig = {
  /** DNS servers for DNSBL lookups (host:port, comma-separated); default: the system's. */
  dnsServers: hostPortList('DNS_SERVERS', 53),
  /** DNSBL zones: `zone[=codes][*weight]`, e.g. `zen.spamhaus.org=127.0.0.[2..11]*3`. */
  dnsblZones: list('DNSBL_ZONES'),
  dnsTimeoutMs: duration('DNSBL_TIMEOUT', '1500ms'),
  /** Check private and loopback client addresses too (tests and local development). */
  dnsblCheckPrivate: bool('DNSBL_CHECK_PRIVATE', false),
  /** Score at or above which a message is tagged `X-Spam-Status: Yes`. */
  tagScore: int('SPAM_TAG_SCORE', 5),
  /** Score at or above which a message goes to the recipient's Junk folder. */
  junkScore: int('SPAM_JUNK_SCORE', 8),
  concurrency: int('SPAM_FILTER_CONCURRENCY', 32, { min: 1, max: 1024 }),
};
