/**
 * DnsResolver over dns2's UDP client. Asks the configured servers one at a
 * time, each with a bounded timeout, moving to the next only when a server
 * does not reply; a reply (even SERVFAIL) is final. Follows CNAMEs the
 * server left unchased by asking again for the target. Each question is
 * one OpenTelemetry span (query-span.ts).
 */
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import type { Packet, UDPClient as Dns2UdpClient } from 'dns2';
import { normalizeDomainName } from './domain-name';
import { inQuerySpan } from './query-span';
import { readResponse } from './response';
import type { DnsAnswer, DnsRecordOf, DnsRecordType, DnsResolver } from './resolver';
import { formatDnsServer, systemDnsServers, type DnsServerAddress } from './server-list';

/**
 * dns2's UDP client alone, required by its path inside the package (its
 * exports map offers only the whole package): the package's entry also
 * loads dns2's TCP, UDP and DoH servers and its DoH client (http2, https),
 * about 0.8 MiB that every service asking DNS held for nothing. The UDP
 * client requires the TCP one itself when a reply comes truncated.
 */
const UDPClient = createRequire(createRequire(import.meta.url).resolve('dns2'))('./client/udp.js') as typeof Dns2UdpClient;

/** Per-server, per-query timeout when none is configured. */
export const DEFAULT_DNS_TIMEOUT_MS = 2000;

/** Longest CNAME chain followed before answering SERVFAIL. */
export const MAX_CNAME_DEPTH = 8;

export interface Dns2ResolverOptions {
  /** Servers to ask in order; empty or absent means the system's resolvers. */
  readonly servers?: readonly DnsServerAddress[];
  /** How long to wait for one server's reply, in milliseconds. Default 2000. */
  readonly timeoutMs?: number;
}

/** A DnsResolver that queries real DNS servers over UDP (TCP when a reply is truncated, IPv4 servers only). */
export class Dns2Resolver implements DnsResolver {
  readonly servers: readonly DnsServerAddress[];
  readonly timeoutMs: number;

  /** @throws Error when no servers are configured and the system has none. */
  constructor(options: Dns2ResolverOptions = {}) {
    const configured = options.servers ?? [];
    this.servers = configured.length > 0 ? [...configured] : systemDnsServers();
    if (this.servers.length === 0) throw new Error('no DNS servers: none configured and the system reports none');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_DNS_TIMEOUT_MS;
    if (!(this.timeoutMs > 0)) throw new RangeError(`DNS timeout must be positive, got ${this.timeoutMs}`);
  }

  /** One question, in one span (query-span.ts), CNAME chase included. */
  resolve<T extends DnsRecordType>(name: string, type: T): Promise<DnsAnswer<DnsRecordOf<T>>> {
    const question = normalizeDomainName(name);
    return inQuerySpan(question, type, () => this.chase(question, type));
  }

  private async chase<T extends DnsRecordType>(name: string, type: T): Promise<DnsAnswer<DnsRecordOf<T>>> {
    let current = name;
    let hopsLeft = MAX_CNAME_DEPTH;
    let aliasTtl = Infinity;
    for (;;) {
      const reply = await this.query(current, type);
      if ('status' in reply) return reply;
      const reading = readResponse(reply, current, type, hopsLeft);
      if (reading.kind === 'answer') return capTtl(reading.answer, aliasTtl);
      // RFC 1034 §3.6.2: restart the query at the canonical name.
      hopsLeft -= reading.hops;
      aliasTtl = Math.min(aliasTtl, reading.ttl);
      current = reading.target;
    }
  }

  /** Asks each server in turn until one replies; `timeout` when none does. */
  private async query(name: string, type: DnsRecordType): Promise<Packet | { status: 'timeout'; detail: string }> {
    const failures: string[] = [];
    for (const server of this.servers) {
      try {
        return await this.ask(server, name, type);
      } catch (error) {
        failures.push(`${formatDnsServer(server)}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { status: 'timeout', detail: `${type} ${name}: ${failures.join('; ')}` };
  }

  private async ask(server: DnsServerAddress, name: string, type: DnsRecordType): Promise<Packet> {
    const ipv6 = isIP(server.host) === 6;
    const lookup = UDPClient({
      dns: server.host,
      port: server.port,
      timeout: this.timeoutMs,
      socketType: ipv6 ? 'udp6' : 'udp4',
      // dns2's TCP fallback splits the host on ":", so it cannot reach an IPv6 server.
      retryOverTCP: !ipv6,
    });
    // dns2's TCP fallback has no timeout of its own; this deadline bounds the whole exchange.
    const reply = await withDeadline(lookup(name, type), this.timeoutMs);
    if (reply.header.tc) throw new Error('reply truncated (TC=1) and no TCP fallback');
    return reply;
  }
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no reply within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Caps record and negative TTLs by the TTL of the CNAMEs that led to them. */
function capTtl<R extends DnsAnswer>(answer: R, cap: number): R {
  if (cap === Infinity) return answer;
  if (answer.status === 'ok') {
    return { ...answer, records: answer.records.map((r) => ({ ...r, ttl: Math.min(r.ttl, cap) })) };
  }
  if ((answer.status === 'nxdomain' || answer.status === 'nodata') && answer.ttl !== undefined) {
    return { ...answer, ttl: Math.min(answer.ttl, cap) };
  }
  return answer;
}
