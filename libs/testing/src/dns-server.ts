/**
 * A real DNS server for integration tests, built on dns2: UDP and TCP on
 * 127.0.0.1, same random port, answering from a table the test may change
 * while it runs. Names can be made to answer NXDOMAIN, SERVFAIL or nothing
 * at all; negative answers carry an SOA (RFC 2308) so negative caching can
 * be tested; every question is logged so a test can prove a cache hit asked
 * nothing. Authoritative for the whole namespace: a name it holds nothing
 * at or below answers NXDOMAIN.
 */
import { once } from 'node:events';
import { isIP, Socket } from 'node:net';
import { Packet, createServer } from 'dns2';
import type { DnsServer, Resource } from 'dns2';

/** One record as a test writes it; TTL in seconds, 300 when absent. MX exchange "." is a null MX (RFC 7505). */
export type DnsFixtureRecord =
  | { readonly type: 'A' | 'AAAA'; readonly address: string; readonly ttl?: number }
  | { readonly type: 'MX'; readonly preference: number; readonly exchange: string; readonly ttl?: number }
  | { readonly type: 'TXT'; readonly text: string | readonly string[]; readonly ttl?: number }
  | { readonly type: 'CNAME' | 'PTR'; readonly target: string; readonly ttl?: number };

/** Initial contents: owner name → its records. */
export type DnsTable = Readonly<Record<string, readonly DnsFixtureRecord[]>>;

/** How a name misbehaves: answer NXDOMAIN, answer SERVFAIL, or never answer (a timeout for the client). */
export type DnsFailure = 'nxdomain' | 'servfail' | 'timeout';

export interface DnsServerOptions {
  /** Chase CNAMEs inside the table, as an authoritative server does within its zone. Default true. */
  readonly followCnames?: boolean;
  /** SOA MINIMUM and TTL for names outside any zone declared with `zone()`. Default 60. */
  readonly negativeTtl?: number;
}

/** A running fixture server. Mutations apply to the next question. */
export interface DnsServerFixture extends AsyncDisposable {
  readonly port: number;
  /** "127.0.0.1:<port>", the form DNS_SERVERS takes. */
  readonly address: string;
  /** Every question received, names lower-cased without the trailing dot, types by name ("A", "MX"). */
  readonly queries: { name: string; type: string }[];
  /** Appends records to `name`. @throws TypeError on a malformed record or CNAME mixed with other data. */
  add(name: string, ...records: DnsFixtureRecord[]): void;
  /** Drops the records of `name` (of one type, or all) and any failure set for it. */
  remove(name: string, type?: DnsFixtureRecord['type']): void;
  /** Makes `name` misbehave, whatever records it has. */
  fail(name: string, how: DnsFailure): void;
  /** Declares a zone apex; negative answers below it carry its SOA with this TTL. */
  zone(apex: string, negativeTtl: number): void;
  /** Lists `ip` in the DNSBL `zone` (RFC 5782 §2.1 IPv4, §2.4 IPv6 written in hex) with an A record `code`. */
  listDnsbl(zone: string, ip: string, code?: string): void;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const DEFAULT_TTL = 300;
/** Bound on CNAME chasing, so a loop in the table cannot hang the server. */
const MAX_CHASE = 16;
const { TYPE, CLASS, RCODE } = Packet;

/** Starts a DNS server on 127.0.0.1 with a random port, answering from `table`. */
export async function startDnsServer(table: DnsTable = {}, options: DnsServerOptions = {}): Promise<DnsServerFixture> {
  const fixture = new TableDnsServer(options);
  for (const [name, records] of Object.entries(table)) fixture.add(name, ...records);
  await fixture.listen();
  return fixture;
}

class TableDnsServer implements DnsServerFixture {
  readonly queries: { name: string; type: string }[] = [];
  port = 0;
  private readonly records = new Map<string, DnsFixtureRecord[]>();
  private readonly failures = new Map<string, DnsFailure>();
  private readonly zones = new Map<string, number>();
  private readonly tcpClients = new Set<Socket>();
  private servers: DnsServer[] = [];
  private closing: Promise<void> | undefined;

  constructor(private readonly options: DnsServerOptions) {
    this.zones.set('', options.negativeTtl ?? 60);
  }

  get address(): string {
    return `${HOST}:${this.port}`;
  }

  add(name: string, ...records: DnsFixtureRecord[]): void {
    const owner = normalize(name);
    const merged = [...(this.records.get(owner) ?? []), ...records];
    merged.forEach(validate);
    // RFC 2181 §10.1: a CNAME owner has no other data (and one CNAME only).
    if (merged.some((r) => r.type === 'CNAME') && merged.length > 1) {
      throw new TypeError(`${owner}: a CNAME cannot share its name with other records`);
    }
    this.records.set(owner, merged);
  }

  remove(name: string, type?: DnsFixtureRecord['type']): void {
    const owner = normalize(name);
    this.failures.delete(owner);
    const kept = type === undefined ? [] : (this.records.get(owner) ?? []).filter((r) => r.type !== type);
    if (kept.length > 0) this.records.set(owner, kept);
    else this.records.delete(owner);
  }

  fail(name: string, how: DnsFailure): void {
    this.failures.set(normalize(name), how);
  }

  zone(apex: string, negativeTtl: number): void {
    this.zones.set(normalize(apex), negativeTtl);
  }

  listDnsbl(zone: string, ip: string, code = '127.0.0.2'): void {
    const apex = normalize(zone);
    if (!this.zones.has(apex)) this.zone(apex, this.options.negativeTtl ?? 60);
    this.add(`${reversedLabels(ip)}.${apex}`, { type: 'A', address: code });
  }

  /** Binds UDP on a random port, then TCP on the same one; retries when that TCP port is taken. */
  async listen(): Promise<void> {
    const handle = this.handle.bind(this);
    for (let attempt = 1; ; attempt++) {
      const udp = createServer({ udp: true, handle });
      const port = (await listenOrThrow(udp, { udp: { port: 0, address: HOST } })).udp?.port;
      if (port === undefined) throw new Error('dns2 reported no UDP address');
      const tcp = createServer({ tcp: true, handle });
      try {
        // A non-zero port matters: dns2 passes { port: 0, address } to net.Server,
        // which ignores `address` and binds every interface.
        await listenOrThrow(tcp, { tcp: { port, address: HOST } });
        this.servers = [udp, tcp];
        this.port = port;
        return;
      } catch (error) {
        await udp.close();
        if (attempt >= 5 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      }
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      // Connections held open by unanswered ("timeout") questions would delay close.
      for (const client of this.tcpClients) client.destroy();
      await Promise.all(this.servers.map((server) => server.close()));
    })();
    return this.closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private handle(request: Packet, send: (response: Packet) => Promise<Buffer>, client: unknown): void {
    if (client instanceof Socket) this.tcpClients.add(client);
    const response = Packet.createResponseFromRequest(request);
    response.header.aa = 1;
    const question = request.questions[0];
    if (!question) {
      response.header.rcode = RCODE.FORMERR;
    } else {
      this.queries.push({ name: normalize(question.name), type: Packet.typeName(question.type) });
      if (!this.answer(response, normalize(question.name), question.type)) return;
    }
    void send(response).catch(() => undefined); // the client may be gone; nothing to do
  }

  /** Fills `response`; false when the question must go unanswered. */
  private answer(response: Packet, name: string, type: number): boolean {
    let current = name;
    for (let hop = 0; hop < MAX_CHASE; hop++) {
      const failure = this.failures.get(current);
      if (failure === 'timeout') return false;
      if (failure === 'servfail') {
        response.answers = [];
        response.header.rcode = RCODE.SERVFAIL;
        return true;
      }
      // RFC 6604 §3: after a CNAME the RCODE describes the last name of the chain.
      if (failure === 'nxdomain' || !this.exists(current)) {
        response.header.rcode = RCODE.NXDOMAIN;
        response.authorities.push(this.soaFor(current));
        return true;
      }
      const records = this.records.get(current) ?? [];
      const matching = records.filter((r) => TYPE[r.type] === type);
      if (matching.length > 0) {
        response.answers.push(...matching.map((r) => toResource(current, r)));
        return true;
      }
      const alias = type === TYPE.CNAME ? undefined : records.find((r) => r.type === 'CNAME');
      if (alias?.type !== 'CNAME') {
        // RFC 2308 §2.2: NODATA is NOERROR, an empty answer and the SOA.
        response.authorities.push(this.soaFor(current));
        return true;
      }
      response.answers.push(toResource(current, alias));
      if (this.options.followCnames === false) return true;
      current = normalize(alias.target);
    }
    return true;
  }

  /** RFC 8020: a name exists when it, or anything below it, holds data (empty non-terminals exist). */
  private exists(name: string): boolean {
    const suffix = `.${name}`;
    const owners = [...this.records.keys(), ...this.zones.keys()];
    return name === '' || owners.some((owner) => owner === name || owner.endsWith(suffix));
  }

  /** The SOA of the closest enclosing zone, its MINIMUM and TTL set to the negative TTL (RFC 2308 §5). */
  private soaFor(name: string): Resource {
    const apex = [...this.zones.keys()].filter((zone) => zone === '' || name === zone || name.endsWith(`.${zone}`)).reduce((best, zone) => (zone.length > best.length ? zone : best), '');
    const ttl = this.zones.get(apex) ?? 60;
    return new Packet.Resource({
      name: apex,
      type: TYPE.SOA,
      class: CLASS.IN,
      ttl,
      primary: 'ns.dns-fixture.test',
      admin: 'hostmaster.dns-fixture.test',
      serial: 1,
      refresh: 3600,
      retry: 600,
      expiration: 86400,
      minimum: ttl,
    });
  }
}

/** Resolves when every transport listens; rejects on a bind error instead of hanging as dns2 would. */
async function listenOrThrow(server: DnsServer, options: Parameters<DnsServer['listen']>[0]): Promise<Awaited<ReturnType<DnsServer['listen']>>> {
  const failed = once(server, 'error').then(([error]) => Promise.reject(error as Error));
  const addresses = await Promise.race([server.listen(options), failed]);
  // Later errors (a client vanishing mid-reply) must not crash the test process.
  server.on('error', () => undefined);
  return addresses;
}

function toResource(name: string, record: DnsFixtureRecord): Resource {
  const base = { name, type: TYPE[record.type], class: CLASS.IN, ttl: record.ttl ?? DEFAULT_TTL };
  switch (record.type) {
    case 'A':
    case 'AAAA':
      return new Packet.Resource({ ...base, address: record.address });
    case 'MX':
      return new Packet.Resource({ ...base, priority: record.preference, exchange: record.exchange });
    case 'TXT':
      // dns2 encodes Buffers in `data` though its types only admit strings.
      return new Packet.Resource({ ...base, data: characterStrings(record.text) as unknown as string[] });
    case 'CNAME':
    case 'PTR':
      return new Packet.Resource({ ...base, domain: record.target });
  }
}

/** RFC 1035 §3.3.14: a character-string holds at most 255 octets, so longer text is split. */
function characterStrings(text: string | readonly string[]): Buffer[] {
  const strings = typeof text === 'string' ? [text] : text;
  return strings.flatMap((s) => {
    const bytes = Buffer.from(s, 'utf8');
    return Array.from({ length: Math.max(1, Math.ceil(bytes.length / 255)) }, (_, i) => bytes.subarray(i * 255, i * 255 + 255));
  });
}

function validate(record: DnsFixtureRecord): void {
  const family = record.type === 'A' ? 4 : record.type === 'AAAA' ? 6 : undefined;
  if (family !== undefined && 'address' in record && isIP(record.address) !== family) {
    throw new TypeError(`${record.type} record needs an IPv${family} address, got ${JSON.stringify(record.address)}`);
  }
  if (record.ttl !== undefined && !(Number.isInteger(record.ttl) && record.ttl >= 0)) {
    throw new TypeError(`TTL must be a non-negative integer, got ${record.ttl}`);
  }
}

/** RFC 5782 §2.1 (IPv4 octets) and §2.4 (IPv6 nibbles), reversed. Written apart from @mail/dns on purpose. */
function reversedLabels(ip: string): string {
  const family = isIP(ip);
  if (family === 4) return ip.split('.').reverse().join('.');
  if (family === 6 && !ip.includes('.')) {
    const hex = Packet.fromIPv6(ip.toLowerCase())
      .map((group) => group.padStart(4, '0'))
      .join('');
    return [...hex].reverse().join('.');
  }
  throw new TypeError(`listDnsbl needs an IPv4 or hex IPv6 address (e.g. ::ffff:7f00:2), got ${JSON.stringify(ip)}`);
}

function normalize(name: string): string {
  return name.trim().toLowerCase().replace(/\.+$/, '');
}
