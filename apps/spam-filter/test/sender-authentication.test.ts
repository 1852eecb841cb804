/**
 * SPF, DKIM and DMARC through mailauth, asking a real dns2 server through
 * our resolver: TXT records published in the fixture, a DKIM key generated
 * here and a message signed with mailauth's dkimSign. Then through the
 * answer cache the service puts in front (CachingResolver): what is kept,
 * for how long, and that a failure is not kept.
 */
import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CachingResolver, Dns2Resolver } from '@mail/dns';
import { startDnsServer, waitFor, type DnsServerFixture } from '@mail/testing';
import { mailauthResolver } from '../src/auth/mailauth-resolver';
import { authenticateSender, type AuthenticatorOptions } from '../src/auth/sender-authentication';
import { ruleScores } from '../src/verdict/rule-scores';

const message = (from: string, subject: string) =>
  Buffer.from(`From: ${from}\r\nTo: bob@mx.example.test\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@test>\r\nDate: Sat, 21 Nov 2026 10:00:00 +0000\r\n\r\nHello Bob.\r\n`);

describe('sender authentication', () => {
  let dns: DnsServerFixture;
  let options: AuthenticatorOptions;
  let privateKey: string;

  beforeAll(async () => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    privateKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const publicKey = keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    dns = await startDnsServer({
      'example.test': [{ type: 'TXT', text: 'v=spf1 ip4:192.0.2.1 -all' }],
      '_dmarc.example.test': [{ type: 'TXT', text: 'v=DMARC1; p=reject' }],
      'signed.test': [{ type: 'TXT', text: 'v=spf1 -all' }],
      'sel._domainkey.signed.test': [{ type: 'TXT', text: `v=DKIM1; k=rsa; p=${publicKey}` }],
      '_dmarc.signed.test': [{ type: 'TXT', text: 'v=DMARC1; p=reject' }],
      'soft.test': [{ type: 'TXT', text: 'v=spf1 ~all' }],
    });
    const [host = '127.0.0.1', port] = dns.address.split(':');
    const resolver = new Dns2Resolver({ servers: [{ host, port: Number(port) }], timeoutMs: 500 });
    options = { resolver: mailauthResolver(resolver), hostname: 'mx.example.test', timeoutMs: 5_000, scores: ruleScores() };
  });
  afterAll(async () => {
    await dns?.close();
  });

  const rules = (outcome: { reasons: { rule: string; score: number }[] }) => outcome.reasons.map((r) => `${r.rule}=${r.score}`);

  it('passes SPF for an authorised client and writes Authentication-Results with our authserv-id', async () => {
    const outcome = await authenticateSender(message('alice@example.test', 'spf pass'), { clientIp: '192.0.2.1', helo: 'mail.example.test', mailFrom: 'alice@example.test' }, options);
    expect(outcome.header).toMatch(/^mx\.example\.test;/);
    expect(outcome.header).toMatch(/spf=pass .*smtp\.mailfrom=alice@example\.test/);
    expect(outcome.header).toMatch(/dmarc=pass/);
    expect(rules(outcome)).toEqual(['SPF_PASS=-0.1', 'DMARC_PASS=-0.1']);
    expect(outcome.header).not.toMatch(/\r\n(?![ \t])/);
  });

  it('fails SPF for any other client, and DMARC with the domain’s p=reject', async () => {
    const outcome = await authenticateSender(message('boss@example.test', 'forged'), { clientIp: '203.0.113.9', helo: 'x.test', mailFrom: 'boss@example.test' }, options);
    expect(outcome.header).toMatch(/spf=fail/);
    expect(outcome.header).toMatch(/dmarc=fail .*p=REJECT/i);
    expect(rules(outcome)).toEqual(['SPF_FAIL=3', 'DMARC_FAIL_REJECT=5']);
    expect(outcome).toMatchObject({ spfFailed: true, dmarcFailed: true });
  });

  it('scores a softfail lightly and a domain without SPF or DMARC not at all', async () => {
    const soft = await authenticateSender(message('a@soft.test', 'soft'), { clientIp: '203.0.113.9', helo: 'x.test', mailFrom: 'a@soft.test' }, options);
    expect(rules(soft)).toEqual(['SPF_SOFTFAIL=1']);
    const none = await authenticateSender(message('a@nothing.test', 'none'), { clientIp: '203.0.113.9', helo: 'x.test', mailFrom: 'a@nothing.test' }, options);
    expect(rules(none)).toEqual([]);
    expect(none.header).toMatch(/spf=none/);
  });

  it('verifies a DKIM signature made with our generated key, aligned with From: so DMARC passes despite SPF', async () => {
    const unsigned = message('news@signed.test', 'signed newsletter');
    const { signatures, errors } = await dkimSign(unsigned, {
      signingDomain: 'signed.test',
      selector: 'sel',
      privateKey,
      signatureData: [{ signingDomain: 'signed.test', selector: 'sel', privateKey }],
    });
    expect(errors).toEqual([]);
    const signed = Buffer.concat([Buffer.from(signatures), unsigned]);
    const outcome = await authenticateSender(signed, { clientIp: '203.0.113.9', helo: 'x.test', mailFrom: 'news@signed.test' }, options);
    expect(outcome.header).toMatch(/dkim=pass header\.i=@signed\.test header\.s=sel/);
    expect(outcome.header).toMatch(/dmarc=pass/);
    expect(rules(outcome)).toEqual(['SPF_FAIL=3', 'DKIM_VALID=-0.1', 'DKIM_VALID_AU=-0.9', 'DMARC_PASS=-0.1']);
    expect(outcome.dmarcFailed).toBe(false);

    const tampered = Buffer.from(signed.toString().replace('Hello Bob.', 'Hello Eve.'));
    const broken = await authenticateSender(tampered, { clientIp: '203.0.113.9', helo: 'x.test', mailFrom: 'news@signed.test' }, options);
    expect(broken.header).toMatch(/dkim=(fail|neutral)/);
    expect(rules(broken)).toEqual(['SPF_FAIL=3', 'DKIM_INVALID=0.1', 'DMARC_FAIL_REJECT=5']);
  });

  it('fails open, unchecked, when DNS does not answer in time', async () => {
    dns.fail('slow.test', 'timeout');
    const outcome = await authenticateSender(message('a@slow.test', 'slow'), { clientIp: '203.0.113.9', helo: 'x.test', mailFrom: 'a@slow.test' }, { ...options, timeoutMs: 200 });
    expect(rules(outcome)).toEqual(['AUTH_UNCHECKED=0']);
    expect(outcome.header).toBeUndefined();
  });
});

describe('sender authentication with DNS answers cached', () => {
  let dns: DnsServerFixture;
  let options: AuthenticatorOptions;

  beforeAll(async () => {
    dns = await startDnsServer({
      'example.test': [{ type: 'TXT', text: 'v=spf1 ip4:192.0.2.1 -all', ttl: 300 }],
      '_dmarc.example.test': [{ type: 'TXT', text: 'v=DMARC1; p=reject', ttl: 300 }],
    });
    dns.zone('example.test', 300);
    dns.zone('late.test', 1);
    const [host = '127.0.0.1', port] = dns.address.split(':');
    const resolver = new CachingResolver(new Dns2Resolver({ servers: [{ host, port: Number(port) }], timeoutMs: 500 }), { maxEntries: 100 });
    options = { resolver: mailauthResolver(resolver), hostname: 'mx.example.test', timeoutMs: 5_000, scores: ruleScores() };
  });
  afterAll(async () => {
    await dns?.close();
  });

  const authenticate = (domain: string, subject: string) =>
    authenticateSender(message(`alice@${domain}`, subject), { clientIp: '192.0.2.1', helo: 'mail.example.test', mailFrom: `alice@${domain}` }, options);

  it('a second message of a sender asks DNS nothing and gets the same results', async () => {
    const first = await authenticate('example.test', 'first');
    const asked = dns.queries.length;
    const second = await authenticate('example.test', 'second');
    expect(dns.queries.length).toBe(asked);
    expect(second.reasons).toEqual(first.reasons);
    expect(second.header).toMatch(/spf=pass .*dmarc=pass/s);
  });

  it('messages of one sender verified at once ask each question once', async () => {
    dns.add('together.test', { type: 'TXT', text: 'v=spf1 ip4:192.0.2.1 -all' });
    const outcomes = await Promise.all(Array.from({ length: 5 }, (_, i) => authenticate('together.test', `together ${i}`)));
    expect(outcomes.map((o) => o.header?.includes('spf=pass'))).toEqual([true, true, true, true, true]);
    expect(dns.queries.filter((q) => q.name === 'together.test' && q.type === 'TXT')).toHaveLength(1);
  });

  it('a server failure is not kept: the next message asks again and gets the record once it answers', async () => {
    dns.add('flaky.test', { type: 'TXT', text: 'v=spf1 ip4:192.0.2.1 -all' });
    dns.fail('flaky.test', 'servfail');
    const failed = await authenticate('flaky.test', 'servfail');
    expect(failed.header).toMatch(/spf=temperror/);
    expect(failed.spfFailed).toBe(false);
    dns.remove('flaky.test');
    dns.add('flaky.test', { type: 'TXT', text: 'v=spf1 ip4:192.0.2.1 -all' });
    const answered = await authenticate('flaky.test', 'answered');
    expect(answered.header).toMatch(/spf=pass/);
    expect(dns.queries.filter((q) => q.name === 'flaky.test' && q.type === 'TXT')).toHaveLength(2);
  });

  it('a timeout is not kept either', async () => {
    dns.fail('silent.test', 'timeout');
    const unanswered = await authenticate('silent.test', 'timeout');
    expect(unanswered.header).toMatch(/spf=temperror/);
    dns.remove('silent.test');
    dns.add('silent.test', { type: 'TXT', text: 'v=spf1 ip4:192.0.2.1 -all' });
    expect((await authenticate('silent.test', 'answered')).header).toMatch(/spf=pass/);
  });

  it('a name without records is kept for its SOA’s negative TTL (RFC 2308 §5), then asked again', async () => {
    expect((await authenticate('late.test', 'before')).header).toMatch(/spf=none/);
    dns.add('late.test', { type: 'TXT', text: 'v=spf1 ip4:192.0.2.1 -all' });
    const asked = dns.queries.filter((q) => q.name === 'late.test').length;
    // Within the 1 s negative TTL the kept NXDOMAIN answers (unless this ran past it: then the record shows, as after).
    const meanwhile = await authenticate('late.test', 'meanwhile');
    if (meanwhile.header?.includes('spf=none')) expect(dns.queries.filter((q) => q.name === 'late.test')).toHaveLength(asked);
    await waitFor(async () => (await authenticate('late.test', 'after')).header?.includes('spf=pass') === true, {
      timeoutMs: 5_000,
      description: 'the SPF record seen once the negative answer expired',
    });
  });
});
