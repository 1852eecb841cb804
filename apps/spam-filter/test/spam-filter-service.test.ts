/**
 * spam-filter as a real process on real NATS, Redis and a dns2 server:
 * in-session screening, classification with reasons in headers and
 * metrics, allow-lists, domain lists, content rules, the zone self-test
 * seen through its gauge, training over the bus (requests and Junk
 * feedback) and the users' moves per day in spam.stats.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from '@mail/bus';
import { Events, Requests, type MailClassified } from '@mail/contracts';
import { createTestNamespace, createTestRedisPrefix, startDnsServer, startServiceProcess, testNatsUrl, waitFor, type DnsServerFixture, type ServiceProcess } from '@mail/testing';
import { buildCorpus } from './synthetic-corpus';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('spam-filter service', () => {
  let dns: DnsServerFixture;
  let bus: Bus;
  let filter: ServiceProcess;
  let cleanups: (() => Promise<void>)[] = [];
  const classified: MailClassified[] = [];

  beforeAll(async () => {
    const namespace = await createTestNamespace('spam');
    const redis = await createTestRedisPrefix('spam');
    dns = await startDnsServer();
    for (const zone of ['bl.test', 'minor.test']) {
      for (const ip of ['127.0.0.2', '127.0.0.5', '127.0.0.9']) dns.listDnsbl(zone, ip);
    }
    dns.listDnsbl('bl.test', '2001:db8::5');
    dns.listDnsbl('minor.test', '127.0.0.6');
    dns.zone('selfbroken.test', 60);
    dns.zone('dbl.test', 60);
    for (const name of ['test', 'spammy.test', 'pills.test']) dns.add(`${name}.dbl.test`, { type: 'A', address: '127.0.1.2' });
    bus = await Bus.connect({ url: testNatsUrl, name: 'spam-filter-test', namespace: namespace.namespace, log: silent });
    const subscription = bus.nc.subscribe(bus.ns.eventSubject(Events.mailClassified));
    void (async () => {
      for await (const msg of subscription) classified.push(msg.json<MailClassified>());
    })();
    filter = await startServiceProcess('spam-filter', {
      NATS_URL: testNatsUrl,
      NATS_NAMESPACE: namespace.namespace,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: redis.prefix,
      DNS_SERVERS: dns.address,
      DNSBL_ZONES: 'bl.test*10,minor.test=127.0.0.[2..11]*2,selfbroken.test*3',
      DBL_ZONES: 'dbl.test=127.0.1.[2..99]*3',
      DNSBL_CHECK_PRIVATE: 'true',
      // Every zone here answers at once; a timeout this long only keeps a loaded machine's slow first answers from
      // failing a self-test, which would take bl.test out of use for a second (the screening test saw it accept)
      DNSBL_TIMEOUT: '3s',
      DNSBL_SELFTEST_INTERVAL: '1s',
      SPAM_ALLOW_IPS: '127.0.0.9',
      SPAM_ALLOW_SENDERS: '@friends.test',
      SPAM_BAYES_MIN_MESSAGES: '5',
      MAIL_HOSTNAME: 'mx.example.test',
    });
    cleanups = [async () => void (await filter.stop()), () => bus.close(), () => dns.close(), namespace.cleanup, redis.cleanup];
  });
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  });

  async function classify(clientIp: string, mailFrom: string, message: string, submission?: { authUser: string }): Promise<MailClassified> {
    const queueId = `q${randomBytes(8).toString('hex')}`;
    const body = await bus.bodies.put(queueId, [Buffer.from(message)]);
    const envelope = { mailFrom, recipients: [{ address: 'bob@example.test', route: 'local' as const, mailbox: 'bob@example.test' }], smtputf8: false, bodyType: '7BIT' as const };
    const session = submission ? { listener: 'submission' as const, clientIp, helo: 'laptop', tls: true, ...submission } : { listener: 'inbound' as const, clientIp, helo: 'client.test', tls: false };
    await bus.publish(Events.mailReceived, { version: 1, queueId, receivedAt: new Date().toISOString(), session, envelope, body, traceHeaders: [] }, queueId);
    return waitFor(() => classified.find((c) => c.queueId === queueId), { timeoutMs: 20_000, description: `the verdict on ${queueId}` });
  }
  /** The message with the Date: and Message-ID: every mailer writes, so that only the checks a test is about fire. */
  const wellFormed = (message: string) => `Date: ${new Date().toUTCString().replace('GMT', '+0000')}\r\nMessage-ID: <${randomBytes(6).toString('hex')}@client.test>\r\n${message}`;
  /** A field's value, unfolded (RFC 5322 §2.2.3) without the folding whitespace. */
  const header = (mail: MailClassified, name: string) => mail.verdict.headers.find((h) => h.name === name)?.value.replace(/\r\n[ \t]/g, '');
  const metrics = async () => (await fetch(`http://127.0.0.1:${filter.opsPort}/metrics`)).text();

  it('refuses a listed client during the session, naming the lists, and accepts the others (spam.screen)', async () => {
    const listed = await bus.request(Requests.screenClient, { version: 1, clientIp: '127.0.0.5' });
    expect(listed).toMatchObject({ action: 'reject', score: 12, text: 'Service unavailable; client [127.0.0.5] blocked using bl.test, minor.test' });
    expect(await bus.request(Requests.screenClient, { version: 1, clientIp: '2001:db8::5' })).toMatchObject({ action: 'reject', score: 10 });
    expect(await bus.request(Requests.screenClient, { version: 1, clientIp: '127.0.0.6' })).toMatchObject({ action: 'accept', score: 2, reasons: [{ rule: 'RCVD_IN_MINOR_TEST' }] });
    expect(await bus.request(Requests.screenClient, { version: 1, clientIp: '127.0.0.7' })).toMatchObject({ action: 'accept', score: 0, reasons: [] });
    expect(await bus.request(Requests.screenClient, { version: 1, clientIp: '::ffff:127.0.0.9' })).toMatchObject({ action: 'accept', reasons: [{ rule: 'ALLOWLISTED' }] });
    expect(await bus.request(Requests.screenClient, { version: 1, clientIp: '127.0.0.5', mailFrom: 'pal@friends.test' })).toMatchObject({ action: 'accept' });
    expect(await metrics()).toMatch(/mail_spam_screen_total\{[^}]*action="reject"[^}]*\} 2/);
  });

  it('junks mail from a listed client, with the reasons in the headers, the log and the metrics', async () => {
    const mail = await classify('127.0.0.5', 'someone@nowhere.test', wellFormed('From: someone@nowhere.test\r\nSubject: hello\r\n\r\nHi.\r\n'));
    expect(mail.verdict).toMatchObject({ action: 'junk', score: 12 });
    expect(header(mail, 'X-Spam-Status')).toBe('Yes, score=12.0 required=5.0 tests=RCVD_IN_BL_TEST,RCVD_IN_MINOR_TEST');
    expect(header(mail, 'X-Spam-Level')).toBe('************');
    expect(mail.verdict.headers[0]).toMatchObject({ name: 'Authentication-Results', value: expect.stringMatching(/^mx\.example\.test;[\s\S]*spf=none/) });
    const text = await metrics();
    expect(text).toMatch(/mail_spam_verdicts_total\{[^}]*action="junk"[^}]*\} 1/);
    expect(text).toMatch(/mail_spam_rule_hits_total\{[^}]*rule="RCVD_IN_BL_TEST"[^}]*\} 1/);
    expect(text).toMatch(/mail_dnsbl_queries_total\{[^}]*zone="bl\.test"[^}]*\}/);
    expect(text).toMatch(/mail_dnsbl_query_duration_seconds_bucket\{[^}]*zone="bl\.test"/);
    expect(filter.output()).toMatch(/"reasons":\[\{"rule":"RCVD_IN_BL_TEST","score":10/);
  });

  it('lets an allow-listed sender through a listing, with the score forced down', async () => {
    const mail = await classify('127.0.0.5', 'pal@friends.test', wellFormed('From: pal@friends.test\r\nSubject: lunch?\r\n\r\nLunch tomorrow?\r\n'));
    expect(mail.verdict).toMatchObject({ action: 'deliver', score: -100 });
    expect(header(mail, 'X-Spam-Status')).toBe('No, score=-100.0 required=5.0 tests=ALLOWLISTED,RCVD_IN_BL_TEST,RCVD_IN_MINOR_TEST');
  });

  it('skips the IP and sender-authentication checks for our own authenticated users', async () => {
    const mail = await classify('127.0.0.5', 'bob@example.test', wellFormed('From: bob@example.test\r\nSubject: from home\r\n\r\nSent from a listed dial-up address.\r\n'), {
      authUser: 'bob@example.test',
    });
    expect(mail.verdict).toMatchObject({ action: 'deliver', score: 0, reasons: [] });
    expect(mail.verdict.headers.map((h) => h.name)).not.toContain('Authentication-Results');
  });

  it('adds the weight of every listed sender and linked domain (domain lists)', async () => {
    const message = 'From: Promo <promo@mail.spammy.test>\r\nSubject: deal\r\n\r\nBuy at http://www.spammy.test/x and https://shop.pills.test/buy or fine.example.org\r\n';
    const mail = await classify('127.0.0.7', 'bounce@spammy.test', wellFormed(message));
    expect(mail.verdict.reasons.map((r) => [r.rule, r.score])).toEqual([
      ['SENDER_IN_DBL_TEST', 3],
      ['URIBL_DBL_TEST', 3],
    ]);
    expect(mail.verdict).toMatchObject({ action: 'deliver', score: 6 });
    expect(header(mail, 'X-Spam-Flag')).toBe('YES');
  });

  it('takes a zone whose self-test fails out of use, and brings it back once it is fixed', async () => {
    const gauge = (value: 0 | 1) => new RegExp(`mail_dnsbl_zone_healthy\\{[^}]*zone="selfbroken\\.test"[^}]*\\} ${value}`);
    await waitFor(async () => gauge(0).test(await metrics()), { timeoutMs: 10_000, description: 'selfbroken.test out of use' });
    expect(await metrics()).toMatch(/mail_dnsbl_zone_healthy\{[^}]*zone="bl\.test"[^}]*\} 1/);
    dns.listDnsbl('selfbroken.test', '127.0.0.2');
    await waitFor(async () => gauge(1).test(await metrics()), { timeoutMs: 10_000, description: 'selfbroken.test back in use' });
    const stats = await bus.request(Requests.spamStats, { version: 1 });
    expect(stats.zones.find((z) => z.zone === 'selfbroken.test')).toMatchObject({ kind: 'ip', healthy: true, detail: expect.stringMatching(/passed/) });
    expect(stats.zones.find((z) => z.zone === 'dbl.test')).toMatchObject({ kind: 'domain', healthy: true });
  });

  it('learns over spam.train and from Junk feedback, and the classifier joins verdicts once trained', async () => {
    const corpus = buildCorpus(6, 7);
    for (const [i, message] of [...corpus.spam.slice(0, 5), ...corpus.ham.slice(0, 5)].entries()) {
      const reply = await bus.request(Requests.spamTrain, { version: 1, class: message.kind, message: message.raw.toString('base64'), source: `corpus#${i}` });
      expect(reply.outcome).toBe('learned');
    }
    expect(await bus.request(Requests.spamStats, { version: 1 })).toMatchObject({ spamMessages: 5, hamMessages: 5, active: true, minMessages: 5 });
    const mail = await classify('127.0.0.7', 'x@nowhere.test', corpus.spam[5]?.raw.toString() ?? '');
    expect(mail.verdict.reasons.some((r) => /^BAYES_\d+$/.test(r.rule))).toBe(true);

    const moved = corpus.ham[5]?.raw ?? Buffer.alloc(0);
    const at = new Date().toISOString();
    await bus.publish(Events.feedbackClassified, { version: 1, user: 'bob@example.test', verdict: 'ham', at, content: { kind: 'inline', base64: moved.toString('base64') } }, `fb:${at}`);
    await waitFor(async () => (await bus.request(Requests.spamStats, { version: 1 })).hamMessages === 6, { description: 'the feedback learned' });
  });

  it('adds the content rules that hit to the verdict, the headers and the per-rule metrics', async () => {
    const mail = await classify('127.0.0.7', 'x@nowhere.test', 'From: x@nowhere.test\r\nSubject: FREE MONEY FOR YOU NOW\r\n\r\nSee http://192.0.2.7/offer\r\n');
    expect(mail.verdict.reasons.map((r) => r.rule)).toEqual(expect.arrayContaining(['MISSING_DATE', 'MISSING_MID', 'NUMERIC_HTTP_ADDR', 'SUBJ_ALL_CAPS']));
    expect(header(mail, 'X-Spam-Status')).toMatch(/tests=.*MISSING_DATE.*NUMERIC_HTTP_ADDR.*SUBJ_ALL_CAPS/);
    const text = await metrics();
    expect(text).toMatch(/mail_spam_rule_hits_total\{[^}]*rule="NUMERIC_HTTP_ADDR"[^}]*\} 1/);
    expect(text).toMatch(/mail_spam_rule_hits_total\{[^}]*rule="FORGED_MUA_OUTLOOK"[^}]*\} 0/);
  });

  it("counts users' moves into and out of Junk per day for spam.stats, each move once however often its event arrives", async () => {
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    const move = (verdict: 'spam' | 'ham', at: string, queueId: string) => ({
      version: 1 as const,
      queueId,
      user: 'bob@example.test',
      verdict,
      at,
      content: { kind: 'inline' as const, base64: 'aGk=' },
    });
    const [threeDaysAgo, fourDaysAgo] = [daysAgo(3), daysAgo(4)];
    await bus.publish(Events.feedbackClassified, move('spam', fourDaysAgo, 'QFEEDBACK1'), 'fb-1');
    await bus.publish(Events.feedbackClassified, move('spam', threeDaysAgo, 'QFEEDBACK2'), 'fb-2');
    // The same move again under another message id, as a redelivery after a crash would bring it: counted once.
    await bus.publish(Events.feedbackClassified, move('spam', threeDaysAgo, 'QFEEDBACK2'), 'fb-2-again');
    await bus.publish(Events.feedbackClassified, move('ham', threeDaysAgo, 'QFEEDBACK3'), 'fb-3');
    const expected = [
      { day: fourDaysAgo.slice(0, 10), falsePositives: 0, missedSpam: 1 },
      { day: threeDaysAgo.slice(0, 10), falsePositives: 1, missedSpam: 1 },
    ];
    const stats = await waitFor(
      async () => {
        const reply = await bus.request(Requests.spamStats, { version: 1, feedbackDays: 5 });
        return JSON.stringify(reply.feedback?.slice(0, 2)) === JSON.stringify(expected) && reply;
      },
      { description: 'the moves counted' },
    );
    expect(stats.feedback).toHaveLength(5);
    expect(stats.feedback?.[4]?.day).toBe(new Date().toISOString().slice(0, 10));
    expect((await bus.request(Requests.spamStats, { version: 1 })).feedback).toHaveLength(14);
  });
});
