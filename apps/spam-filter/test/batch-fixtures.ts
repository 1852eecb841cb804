/**
 * What the batch tests share: a dns2 server with a DNSBL zone and a domain
 * list, spam-filter's settings on it, the classifier trained straight in a
 * Redis prefix (as spam.train would, before the service starts), and a
 * set of received messages that takes every path of the scorer — listed
 * and unlisted clients (one several times), allow-listed client and
 * sender, our own authenticated user, listed sender and linked domains,
 * trained spam and ham, a body already gone, a large body (object store,
 * worker parse), local and remote recipients — plus a poison message
 * whose body is corrupt (its inline octets do not match its digest).
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Bus } from '@mail/bus';
import type { BodyReference, MailReceived } from '@mail/contracts';
import { startDnsServer, testNatsUrl, type DnsServerFixture } from '@mail/testing';
import { BayesClassifier } from '../src/bayes/bayes-classifier';
import { TokenStore } from '../src/bayes/token-store';
import { Learner } from '../src/training/learner';
import { buildCorpus } from './synthetic-corpus';

export const listedClients = ['203.0.113.5', '203.0.113.6'];
export const allowedClient = '203.0.113.9';

/** The DNS lists the tests' spam-filter asks. */
export async function startListDns(): Promise<DnsServerFixture> {
  const dns = await startDnsServer();
  dns.zone('bl.test', 60);
  dns.zone('dbl.test', 60);
  // 127.0.0.2 and `test` are the RFC 5782 §5 test entries: without them the self-test takes the zones out of use.
  for (const ip of ['127.0.0.2', ...listedClients]) dns.listDnsbl('bl.test', ip);
  for (const domain of ['test', 'spammy.test', 'pills.test']) dns.add(`${domain}.dbl.test`, { type: 'A', address: '127.0.1.2' });
  return dns;
}

/** spam-filter's environment on those lists, a namespace and a Redis prefix. */
export function filterEnvironment(dns: DnsServerFixture, namespace: string, redis: { url: string; prefix: string }): Record<string, string> {
  return {
    NATS_URL: testNatsUrl,
    NATS_NAMESPACE: namespace,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.prefix,
    DNS_SERVERS: dns.address,
    DNSBL_ZONES: 'bl.test*4',
    DBL_ZONES: 'dbl.test=127.0.1.[2..99]*3',
    DNSBL_CHECK_PRIVATE: 'true',
    SPAM_ALLOW_IPS: allowedClient,
    SPAM_ALLOW_SENDERS: '@friends.test',
    SPAM_BAYES_MIN_MESSAGES: '5',
    MAIL_HOSTNAME: 'mx.example.test',
  };
}

/** Trains the classifier under `prefix` on 6 spam and 6 ham messages, so it takes part in verdicts. */
export async function trainClassifier(redis: { url: string; prefix: string }): Promise<void> {
  const client = new Redis(redis.url, { keyPrefix: redis.prefix });
  try {
    const store = new TokenStore(client);
    const learner = new Learner(new BayesClassifier(store, 5), store);
    const corpus = buildCorpus(6, 3);
    for (const message of [...corpus.spam, ...corpus.ham]) await learner.learn(message.raw, message.kind);
  } finally {
    client.disconnect();
  }
}

export interface TestMessage {
  readonly queueId: string;
  readonly raw: Buffer;
  readonly clientIp: string;
  readonly mailFrom: string;
  readonly submission?: boolean;
  readonly remote?: boolean;
  /** 'gone': a reference to a body the object store does not hold; 'corrupt': inline octets that do not match the digest. */
  readonly body?: 'gone' | 'corrupt';
}

const text = (lines: string[]): Buffer => Buffer.from(`${lines.join('\r\n')}\r\n`);

/** The message set; `poison` adds the corrupt one. Queue ids are stable, so two runs can be compared. */
export function batchMessages(options: { poison?: boolean } = {}): TestMessage[] {
  const corpus = buildCorpus(8, 17);
  const messages: TestMessage[] = [];
  const add = (message: Omit<TestMessage, 'queueId'>) => messages.push({ queueId: `QB${String(messages.length).padStart(6, '0')}`, ...message });
  corpus.spam.forEach((message, i) => add({ raw: message.raw, clientIp: i % 3 === 0 ? (listedClients[0] as string) : `203.0.113.${20 + i}`, mailFrom: 'offers@deals.test' }));
  corpus.ham.forEach((message, i) => add({ raw: message.raw, clientIp: `203.0.113.${40 + i}`, mailFrom: 'alice@work.test', remote: i === 0 }));
  add({ raw: text(['From: someone@nowhere.test', 'Subject: hello', '', 'Hi.']), clientIp: listedClients[1] as string, mailFrom: 'someone@nowhere.test' });
  add({ raw: text(['From: pal@friends.test', 'Subject: lunch?', '', 'Lunch tomorrow?']), clientIp: listedClients[1] as string, mailFrom: 'pal@friends.test' });
  add({ raw: text(['From: x@y.test', 'Subject: from the allowed relay', '', 'Relayed.']), clientIp: allowedClient, mailFrom: 'x@y.test' });
  add({ raw: text(['From: bob@example.test', 'Subject: from home', '', 'Sent from a listed dial-up address.']), clientIp: listedClients[0] as string, mailFrom: 'bob@example.test', submission: true });
  add({
    raw: text(['From: Promo <promo@mail.spammy.test>', 'Subject: deal', '', 'Buy at http://www.spammy.test/x and https://shop.pills.test/buy or fine.example.org']),
    clientIp: '203.0.113.60',
    mailFrom: 'bounce@spammy.test',
  });
  add({ raw: text(['From: gone@nowhere.test', 'Subject: gone', '', 'Delivered and removed already.']), clientIp: '203.0.113.61', mailFrom: 'gone@nowhere.test', body: 'gone' });
  add({
    raw: text(['From: big@work.test', 'Subject: the minutes', '', ...Array.from({ length: 1200 }, (_, i) => `Line ${i} of the minutes of the meeting, with the agenda.`)]),
    clientIp: '203.0.113.62',
    mailFrom: 'big@work.test',
  });
  if (options.poison) add({ raw: text(['From: p@poison.test', 'Subject: poison', '', 'My digest lies.']), clientIp: '203.0.113.63', mailFrom: 'p@poison.test', body: 'corrupt' });
  return messages;
}

async function bodyOf(bus: Bus, message: TestMessage): Promise<BodyReference> {
  if (message.body === 'gone') return { bucket: bus.bodies.bucket, key: message.queueId, size: message.raw.length, sha256: createHash('sha256').update(message.raw).digest('hex') };
  const body = await bus.bodies.putInlineIfSmall(message.queueId, [message.raw]);
  return message.body === 'corrupt' ? { ...body, sha256: '0'.repeat(64) } : body;
}

/** The `received` event smtp-ingress would publish for `message`. */
export async function receivedEvent(bus: Bus, message: TestMessage): Promise<MailReceived> {
  const local = { address: 'bob@example.test', route: 'local' as const, mailbox: 'bob@example.test' };
  const recipients = message.remote ? [local, { address: 'carol@remote.test', route: 'remote' as const }] : [local];
  const session = message.submission
    ? { listener: 'submission' as const, clientIp: message.clientIp, helo: 'laptop', tls: true, authUser: 'bob@example.test' }
    : { listener: 'inbound' as const, clientIp: message.clientIp, helo: 'client.test', tls: false };
  return {
    version: 1,
    queueId: message.queueId,
    receivedAt: new Date().toISOString(),
    session,
    envelope: { mailFrom: message.mailFrom, recipients, smtputf8: false, bodyType: '8BITMIME' },
    body: await bodyOf(bus, message),
    traceHeaders: [],
  };
}
