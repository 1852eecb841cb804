/**
 * Injection, secrets and TLS downgrade through the running platform
 * (issue 10, docs/security.md):
 *
 * - envelope addresses, AUTH and POP3 user names and header fields carrying
 *   SQL, CRLF, NUL and shell metacharacters are refused with a 5xx / -ERR
 *   reply, or stored inert: the tables are still there and the stored text
 *   is exactly what was sent;
 * - no password, AUTH exchange (base64) or APOP secret appears in any line
 *   that any service or mailctl wrote, at LOG_LEVEL=debug, after AUTH
 *   PLAIN, AUTH LOGIN, POP3 USER/PASS, POP3 AUTH PLAIN, APOP and
 *   `mailctl user add --password` — right and wrong passwords alike;
 * - TLS 1.0 and 1.1 are refused on SMTP STARTTLS, POP3 STLS and POP3S;
 *   TLS 1.2 and 1.3 work (RFC 8996).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SecureVersion } from 'node:tls';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pop3Client } from '@mail/pop3-client';
import { freePort, LineClient, startMailStack, waitFor, type MailStack } from '@mail/testing';
import { logLine, waitForLogLines, type LogLine } from './service-logs';
import { handshake, selfSignedCertificate } from './tls-probe';

const alice = 'alice@example.test';
const password = `Pw-${randomBytes(6).toString('hex')}`;
const wrongPassword = `Guess-${randomBytes(6).toString('hex')}`;
const apopSecret = `Apop-${randomBytes(6).toString('hex')}`;
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** Every string that must never reach a log line. */
const secrets = [password, wrongPassword, apopSecret, b64(`\0${alice}\0${password}`), b64(`\0${alice}\0${wrongPassword}`), b64(password), b64(wrongPassword)];

const sqlInjection = "'; DROP TABLE messages;--";
const shellInjection = '$(touch /tmp/pwned) `id` | cat /etc/passwd; echo';
/** 5xx with an enhanced status code (RFC 3463): a refusal that says what is wrong. */
const smtpRefusal = /^5\d\d 5\.\d{1,3}\.\d{1,3} \S/;

async function query<T extends pg.QueryResultRow>(stack: MailStack, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: stack.env['DATABASE_URL'] });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** mailbox-store's tables are all still there. */
async function tablesIntact(stack: MailStack): Promise<void> {
  const rows = await query<{ name: string | null }>(
    stack,
    `SELECT to_regclass(name)::text AS name FROM unnest(ARRAY['domains', 'users', 'aliases', 'mailboxes', 'messages', 'mailbox_entries']) AS name`,
  );
  expect(rows.map((r) => r.name)).toEqual(['domains', 'users', 'aliases', 'mailboxes', 'messages', 'mailbox_entries']);
}

async function smtpSession(port: number): Promise<LineClient> {
  const smtp = await LineClient.open(port);
  expect((await smtp.readSmtpReply()).code).toBe(220);
  expect((await smtp.smtp('EHLO client.test')).code).toBe(250);
  return smtp;
}

/** Sends `message` from `sender` to alice; resolves with the reply to the end of DATA. */
async function sendMessage(stack: MailStack, sender: string, message: string): Promise<string> {
  const smtp = await smtpSession(stack.smtpPort);
  try {
    expect((await smtp.smtp(`MAIL FROM:<${sender}>`)).code).toBe(250);
    expect((await smtp.smtp(`RCPT TO:<${alice}>`)).code).toBe(250);
    expect((await smtp.smtp('DATA')).code).toBe(354);
    smtp.write(`${message}.\r\n`);
    return (await smtp.readSmtpReply()).text;
  } finally {
    smtp.close();
  }
}

describe('injection, secrets and TLS', () => {
  let stack: MailStack;
  let certificate: Awaited<ReturnType<typeof selfSignedCertificate>>;
  let pop3sPort: number;
  const mailctlOutput: string[] = [];

  beforeAll(async () => {
    certificate = await selfSignedCertificate('mx.example.test');
    pop3sPort = await freePort();
    stack = await startMailStack({
      env: {
        LOG_LEVEL: 'debug',
        TLS_CERT_FILE: certificate.certFile,
        TLS_KEY_FILE: certificate.keyFile,
        POP3S_PORT: String(pop3sPort),
        POP3_APOP_ENABLED: 'true',
        APOP_SECRET_KEY: randomBytes(32).toString('hex'),
        SUBMISSION_ALLOW_PLAINTEXT_AUTH: 'true',
        SMTP_AUTH_FAILURE_DELAY: '10ms',
        POP3_AUTH_FAILURE_DELAY: '10ms',
        POP3_AUTH_BLOCKED_DELAY: '10ms',
      },
    });
    for (const args of [
      ['domain', 'add', 'example.test'],
      ['user', 'add', alice, '--password', password],
      ['user', 'apop', alice, '--secret', apopSecret],
    ]) {
      const result = await stack.mailctl(...args);
      mailctlOutput.push(result.stdout, result.stderr);
      expect(result.code, result.stderr).toBe(0);
    }
  });
  afterAll(async () => {
    await stack?.stop();
    await certificate?.remove();
  });

  it('refuses envelope addresses with NUL, CR, LF or characters outside RFC 5321 syntax, and stores the legal odd ones inert', async () => {
    // A quoted local part with spaces is legal SMTP that the contracts cannot carry: 553 5.1.7 (envelope-address.ts).
    const refusedSenders = ['a\0b@evil.test', 'a\rb@evil.test', 'x$(reboot)@evil.test', 'a;b@evil.test', "'; DROP TABLE messages;--@evil.test", `"${sqlInjection}"@evil.test`];
    for (const sender of refusedSenders) {
      const smtp = await smtpSession(stack.smtpPort);
      expect((await smtp.smtp(`MAIL FROM:<${sender}>`)).text, JSON.stringify(sender)).toMatch(smtpRefusal);
      smtp.close();
    }
    // RFC 5321 §4.1.2: a quoted local part may hold SQL; atext includes ` | $ (RFC 5322 §3.2.3).
    const legalSenders = [`"';DROP/**/TABLE/**/messages;--"@evil.test`, '`id`|$HOME@evil.test'];
    for (const sender of legalSenders) {
      expect(await sendMessage(stack, sender, `Subject: envelope\r\n\r\nfrom ${sender}\r\n`)).toMatch(/^250 /);
    }
    const smtp = await smtpSession(stack.smtpPort);
    expect((await smtp.smtp('MAIL FROM:<mallory@evil.test>')).code).toBe(250);
    for (const recipient of [`"${sqlInjection}"@example.test`, '`reboot`|x@example.test', "x'OR'1'='1@example.test"]) {
      // 553 5.1.3 for the quoted local part with spaces, 550 5.1.1 (no such user) for the others.
      expect((await smtp.smtp(`RCPT TO:<${recipient}>`)).text, recipient).toMatch(/^55[03] 5\.1\.[13] /);
    }
    smtp.close();

    const stored = await waitFor(
      async () => {
        const rows = await query<{ envelope_from: string }>(stack, 'SELECT envelope_from FROM messages WHERE envelope_from = ANY($1)', [legalSenders]);
        return rows.length === legalSenders.length ? rows : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, description: 'both messages with odd senders stored' },
    );
    expect(stored.map((r) => r.envelope_from).sort()).toEqual([...legalSenders].sort());
    await tablesIntact(stack);
  });

  it('stores header fields carrying SQL and shell metacharacters inert, byte for byte', async () => {
    const subject = `${sqlInjection} ${shellInjection}`;
    const message = `From: "${shellInjection}" <mallory@evil.test>\r\nSubject: ${subject}\r\nX-Injected: ${sqlInjection}\r\n\r\nRobert'); DROP TABLE users;--\r\n`;
    expect(await sendMessage(stack, 'mallory@evil.test', message)).toMatch(/^250 /);
    const rows = await waitFor(
      async () => {
        const found = await query<{ id: string; subject: string }>(stack, 'SELECT id, subject FROM messages WHERE subject = $1', [subject]);
        return found.length === 1 ? found : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, description: 'the message with the hostile subject' },
    );
    expect(rows[0]?.subject).toBe(subject);
    const pop3 = await Pop3Client.login(stack.pop3Port, alice, password);
    const { count } = await pop3.stat();
    const bodies: string[] = [];
    for (let n = 1; n <= count; n += 1) bodies.push((await pop3.retrieve(n)).content.toString('latin1'));
    await pop3.quit();
    expect(bodies.some((b) => b.endsWith(message))).toBe(true);
    await tablesIntact(stack);
  });

  it('refuses AUTH with hostile user names (SQL, CRLF, NUL, shell) with 5xx replies', async () => {
    const names = [sqlInjection, `${alice}\r\nMAIL FROM:<x@evil.test>`, shellInjection, `${alice}'--`];
    for (const name of names) {
      const smtp = await smtpSession(stack.submissionPort);
      expect((await smtp.smtp(`AUTH PLAIN ${b64(`\0${name}\0${wrongPassword}`)}`)).text, JSON.stringify(name)).toMatch(smtpRefusal);
      expect((await smtp.smtp('AUTH LOGIN')).code).toBe(334);
      expect((await smtp.smtp(b64(name))).code).toBe(334);
      expect((await smtp.smtp(b64(wrongPassword))).text).toMatch(smtpRefusal);
      smtp.close();
    }
    // RFC 4616 §2: a NUL inside a field makes the message malformed.
    const smtp = await smtpSession(stack.submissionPort);
    expect((await smtp.smtp(`AUTH PLAIN ${b64(`\0ali\0ce\0${wrongPassword}`)}`)).text).toMatch(smtpRefusal);
    smtp.close();
    await tablesIntact(stack);
  });

  it('refuses POP3 logins with hostile user names with -ERR', async () => {
    for (const name of [sqlInjection, shellInjection, `${alice}\0`, `${alice}\rPASS x`]) {
      const pop3 = await LineClient.open(stack.pop3Port);
      expect(await pop3.readLine()).toMatch(/^\+OK/);
      pop3.send(`USER ${name}`);
      const user = await pop3.readLine();
      if (user.startsWith('+OK')) {
        pop3.send(`PASS ${wrongPassword}`);
        expect(await pop3.readLine(), JSON.stringify(name)).toMatch(/^-ERR/);
      } else {
        expect(user, JSON.stringify(name)).toMatch(/^-ERR/);
      }
      pop3.close();
    }
    await tablesIntact(stack);
  });

  const refusedVersions: SecureVersion[] = ['TLSv1', 'TLSv1.1'];
  const acceptedVersions: SecureVersion[] = ['TLSv1.2', 'TLSv1.3'];
  const protocolAlert = 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION';

  it('refuses TLS 1.0 and 1.1 and accepts 1.2 and 1.3 on SMTP STARTTLS (both listeners)', async () => {
    for (const port of [stack.smtpPort, stack.submissionPort]) {
      for (const version of [...refusedVersions, ...acceptedVersions]) {
        const smtp = await smtpSession(port);
        expect((await smtp.smtp('STARTTLS')).code).toBe(220);
        const result = await handshake(version, { socket: smtp.socket });
        expect(result, `${version} on port ${port}`).toEqual(acceptedVersions.includes(version) ? { ok: true, protocol: version } : { ok: false, code: protocolAlert });
        smtp.close();
      }
    }
  });

  it('refuses TLS 1.0 and 1.1 and accepts 1.2 and 1.3 on POP3 STLS and POP3S', async () => {
    for (const version of [...refusedVersions, ...acceptedVersions]) {
      const expected = acceptedVersions.includes(version) ? { ok: true, protocol: version } : { ok: false, code: protocolAlert };
      const pop3 = await LineClient.open(stack.pop3Port);
      expect(await pop3.readLine()).toMatch(/^\+OK/);
      pop3.send('STLS');
      expect(await pop3.readLine()).toMatch(/^\+OK/);
      expect(await handshake(version, { socket: pop3.socket }), `${version} after STLS`).toEqual(expected);
      pop3.close();
      expect(await handshake(version, { port: pop3sPort }), `${version} on POP3S`).toEqual(expected);
    }
  });

  it('writes no password, AUTH exchange or APOP secret to any log line', async () => {
    // Successful and failed logins of every kind, on top of what the tests above did, each session from an address
    // of its own: smtp-ingress names it on every line of the session, pop3-server on the session's first line
    const smtpLogins: Record<string, [string, RegExp][]> = {
      '127.0.7.1': [[`AUTH PLAIN ${b64(`\0${alice}\0${password}`)}`, /^235 /]],
      '127.0.7.2': [
        ['AUTH LOGIN', /^334 /],
        [b64(alice), /^334 /],
        [b64(password), /^235 /],
      ],
      '127.0.7.3': [[`AUTH PLAIN ${b64(`\0${alice}\0${wrongPassword}`)}`, /^535 /]],
    };
    const pop3Logins: Record<string, (greeting: string) => [string, RegExp][]> = {
      '127.0.7.4': () => [
        [`USER ${alice}`, /^\+OK/],
        [`PASS ${password}`, /^\+OK/],
      ],
      '127.0.7.5': () => [
        [`USER ${alice}`, /^\+OK/],
        [`PASS ${wrongPassword}`, /^-ERR/],
      ],
      '127.0.7.6': () => [[`AUTH PLAIN ${b64(`\0${alice}\0${password}`)}`, /^\+OK/]],
      // RFC 1939 §7: MD5 of the greeting's timestamp followed by the shared secret
      '127.0.7.7': (greeting) => [
        [
          `APOP ${alice} ${createHash('md5')
            .update(`${/<[^>]+>/.exec(greeting)?.[0]}${apopSecret}`)
            .digest('hex')}`,
          /^\+OK/,
        ],
        ['QUIT', /^\+OK/],
      ],
    };
    for (const [address, exchange] of Object.entries(smtpLogins)) {
      const client = await LineClient.open(stack.submissionPort, { localAddress: address, replyTimeoutMs: 30_000 });
      expect((await client.readSmtpReply()).lastLine).toMatch(/^220 /);
      expect((await client.smtp('EHLO client.test')).lastLine).toMatch(/^250 /);
      for (const [line, reply] of exchange) expect((await client.smtp(line)).lastLine, `${line} from ${address}`).toMatch(reply);
      client.close();
    }
    for (const [address, exchange] of Object.entries(pop3Logins)) {
      const client = await LineClient.open(stack.pop3Port, { localAddress: address, replyTimeoutMs: 30_000 });
      const greeting = await client.readLine();
      for (const [line, reply] of exchange(greeting)) expect(await client.pop3(line), `${line} from ${address}`).toMatch(reply);
      client.close();
    }

    // The check covers every line those sessions led to: wait for the last line of each (its close)
    const pop3SessionFrom = (address: string, session: unknown, all: readonly LogLine[]): boolean =>
      all.some((line) => line.service === 'pop3-server' && line.fields['session'] === session && line.fields['msg'] === 'session opened' && String(line.fields['remote']).startsWith(`${address}:`));
    await waitForLogLines(stack, {
      ...Object.fromEntries(Object.keys(smtpLogins).map((address) => [`smtp-ingress closing the session from ${address}`, logLine('smtp-ingress', { peerIp: address, msg: 'session closed' })])),
      ...Object.fromEntries(
        Object.keys(pop3Logins).map((address) => [
          `pop3-server closing the session from ${address}`,
          (line: LogLine, all: readonly LogLine[]) => logLine('pop3-server', { msg: 'session closed' })(line) && pop3SessionFrom(address, line.fields['session'], all),
        ]),
      ),
    });
    const logs = [...[...stack.services.values()].map((s) => s.output()), ...mailctlOutput].join('\n');
    expect(logs).toMatch(/"level":"debug"/); // debug lines were written: the check ran at the most verbose level
    for (const secret of secrets) expect(logs.includes(secret), `a log line contains ${secret}`).toBe(false);
  });
});
