/**
 * DKIM signing keys of our domains (RFC 6376), one per domain, in a Redis
 * hash (`<prefix>relay:dkim:keys`, field = domain) that every relay replica
 * reads. Only the relay touches the private keys: mailctl asks the relay to
 * generate one and gets back the public half as the DNS record to publish.
 */
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';

const generate = promisify(generateKeyPair);

/** RFC 8301 §3.2: at least 1024 bits, 2048 recommended. */
const RSA_BITS = 2048;

export interface DkimKey {
  /** Lower-case domain, the `d=` tag. */
  readonly domain: string;
  /** The `s=` tag. */
  readonly selector: string;
  readonly algorithm: 'rsa-sha256';
  /** PKCS#8 PEM. */
  readonly privateKey: string;
  /** Base64 of the DER SubjectPublicKeyInfo: the `p=` tag of the DNS record (RFC 6376 §3.6.1). */
  readonly publicKey: string;
  readonly createdAt: string;
}

export interface DkimKeyStore {
  /** Is there any key at all? (Saves reading a message's header when there is none.) */
  any(): Promise<boolean>;
  /** The first of `domains` that has a key, in the order given. */
  find(domains: readonly string[]): Promise<DkimKey | undefined>;
  get(domain: string): Promise<DkimKey | undefined>;
  /** Stores the key; false (nothing stored) when the domain has one and `replace` is not set. */
  put(key: DkimKey, replace: boolean): Promise<boolean>;
  remove(domain: string): Promise<boolean>;
  list(): Promise<DkimKey[]>;
}

export class RedisDkimKeyStore implements DkimKeyStore {
  static readonly key = 'relay:dkim:keys';

  constructor(private readonly redis: Redis) {}

  async any(): Promise<boolean> {
    return (await this.redis.hlen(RedisDkimKeyStore.key)) > 0;
  }

  async find(domains: readonly string[]): Promise<DkimKey | undefined> {
    const names = domains.map((d) => d.toLowerCase()).filter((d) => d !== '');
    if (names.length === 0) return undefined;
    const values = await this.redis.hmget(RedisDkimKeyStore.key, ...names);
    const found = values.find((value) => value !== null);
    return found ? (JSON.parse(found) as DkimKey) : undefined;
  }

  get(domain: string): Promise<DkimKey | undefined> {
    return this.find([domain]);
  }

  async put(key: DkimKey, replace: boolean): Promise<boolean> {
    const json = JSON.stringify(key);
    if (replace) {
      await this.redis.hset(RedisDkimKeyStore.key, key.domain, json);
      return true;
    }
    return (await this.redis.hsetnx(RedisDkimKeyStore.key, key.domain, json)) === 1;
  }

  async remove(domain: string): Promise<boolean> {
    return (await this.redis.hdel(RedisDkimKeyStore.key, domain.toLowerCase())) === 1;
  }

  async list(): Promise<DkimKey[]> {
    const all = await this.redis.hgetall(RedisDkimKeyStore.key);
    return Object.values(all)
      .map((json) => JSON.parse(json) as DkimKey)
      .sort((a, b) => a.domain.localeCompare(b.domain));
  }
}

/** A fresh RSA key pair for `domain`. */
export async function generateDkimKey(domain: string, selector: string, now = new Date()): Promise<DkimKey> {
  const { privateKey, publicKey } = await generate('rsa', { modulusLength: RSA_BITS });
  return {
    domain: domain.toLowerCase(),
    selector: selector.toLowerCase(),
    algorithm: 'rsa-sha256',
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    createdAt: now.toISOString(),
  };
}

/** The default selector: `s` and the date, so a new key never reuses the name of one still in DNS. */
export function defaultSelector(now = new Date()): string {
  return `s${now.toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/** RFC 6376 §3.6.2.1: the key record lives at `<selector>._domainkey.<domain>`; §3.6.1 its tags. */
export function dnsRecordOf(key: Pick<DkimKey, 'domain' | 'selector' | 'publicKey'>): { name: string; value: string } {
  return { name: `${key.selector}._domainkey.${key.domain}`, value: `v=DKIM1; k=rsa; p=${key.publicKey}` };
}

/** The store with `any()` asked once: messages prepared together (a batch) ask Redis once whether any key exists. */
export function askingAnyOnce(store: DkimKeyStore): DkimKeyStore {
  let any: Promise<boolean> | undefined;
  return {
    any: () => (any ??= store.any()),
    find: (domains) => store.find(domains),
    get: (domain) => store.get(domain),
    put: (key, replace) => store.put(key, replace),
    remove: (domain) => store.remove(domain),
    list: () => store.list(),
  };
}
