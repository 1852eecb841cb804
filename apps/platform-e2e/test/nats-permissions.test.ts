/**
 * Least privilege on the bus: a nats-server of the test's own runs with the
 * generated authorization block the deployment uses
 * (deploy/dependencies/nats-auth.conf, `npm run nats-auth`) and TLS, and the
 * five services and mailctl each connect with their own user. Mail goes the
 * whole way — SMTP in with a body in the object store, the directory
 * replica, spam-filter, mailbox-store, an IMAP IDLE session woken by its
 * user's mailbox.changed notice, POP3 out; submission to a remote MX
 * through the relay; mailctl's admin, queue, spam and trace commands — and
 * the server refuses nothing of it. What no role allows is refused:
 * pop3-server queueing outbound mail, mailctl injecting inbound mail,
 * smtp-ingress listening to the admin requests, and a client without
 * credentials or with a wrong password.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { BusNamespace, Events, Requests, busParties, inboxPrefixOf, type BusParty } from '@mail/contracts';
import { countMessages, Pop3Client } from '@mail/pop3-client';
import { LineClient, describeWithTools, externalTools, startMailStack, startPrivateNats, startSmtpSink, waitFor, workspaceRoot, type MailStack, type PrivateNats, type SmtpSink } from '@mail/testing';

const run = promisify(execFile);
const ns = new BusNamespace('mail');
// nats-server reads a `$VARIABLE` as a configuration value, not as text: a password that looks like a
// number, a size, a date or a boolean would be taken as one (deploy/README.md). A letter, then hex digits.
const passwords = Object.fromEntries(busParties.map((party) => [party, `p${randomBytes(18).toString('hex')}`])) as Record<BusParty, string>;
/** The variable the generated configuration reads a party's password from. */
const passwordVariable = (party: BusParty) => `${party.toUpperCase().replace(/-/g, '_')}_NATS_PASSWORD`;
const credentials = (party: BusParty) => ({ NATS_USER: party, NATS_PASSWORD: passwords[party] });
/** A body over INLINE_BODY_MAX_OCTETS, so that it goes through the object store. */
const largeBody = `${'All work and no play makes Jack a dull boy.\r\n'.repeat(3000)}`;

describeWithTools([externalTools.openssl], 'NATS users and permissions generated from the contracts', () => {
  let certificates: string;
  let caFile: string;
  let nats: PrivateNats;
  let sink: SmtpSink;
  let stack: MailStack;

  /** A connection of the test's own as `party` (or anonymous), over the same TLS. */
  const connectAs = (party: BusParty | undefined, password = party && passwords[party]): Promise<NatsConnection> =>
    connect({ servers: nats.url, tls: { caFile }, ...(party ? { user: party, pass: password, inboxPrefix: inboxPrefixOf(party) } : {}), reconnect: false });

  beforeAll(async () => {
    certificates = await mkdtemp(join(tmpdir(), 'nats-permissions-'));
    caFile = join(certificates, 'cert.pem');
    const keyFile = join(certificates, 'key.pem');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      caFile,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]);
    const authorization = await readFile(join(workspaceRoot, 'deploy/dependencies/nats-auth.conf'), 'utf8');
    nats = await startPrivateNats({
      config: `tls {\n  cert_file: ${JSON.stringify(caFile)}\n  key_file: ${JSON.stringify(keyFile)}\n}\n${authorization}`,
      env: Object.fromEntries(busParties.map((party) => [passwordVariable(party), passwords[party]])),
      scheme: 'tls',
    });
    sink = await startSmtpSink({ host: '127.0.0.2' });
    stack = await startMailStack({
      natsUrl: nats.url,
      natsNamespace: 'mail',
      serviceEnv: credentials,
      mailctlEnv: credentials('mailctl'),
      env: { NATS_TLS_CA_FILE: caFile, OUTBOUND_SMTP_PORT: String(sink.port), SUBMISSION_ALLOW_PLAINTEXT_AUTH: 'true', IMAP_ALLOW_PLAINTEXT_AUTH: 'true' },
    });
    stack.dns.add('remote.test', { type: 'MX', preference: 10, exchange: 'mx.remote.test' });
    stack.dns.add('mx.remote.test', { type: 'A', address: '127.0.0.2' });
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
    await sink?.close();
    await nats?.close();
    if (certificates) await rm(certificates, { recursive: true, force: true });
  });

  it('lets mailctl administer, and each service do its part of the mail path, without a single permissions violation', async () => {
    for (const args of [
      ['domain', 'add', 'example.test'],
      ['user', 'add', 'bob@example.test', '--password', 'hungry'],
    ]) {
      const result = await stack.mailctl(...args);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
    // IDLE on bob's INBOX: imap-server subscribes to bob's own mailbox.changed subject when the folder is selected
    const imap = await LineClient.open(stack.imapPort ?? 0);
    await imap.readLine();
    imap.send('a LOGIN bob@example.test hungry');
    await imap.readUntil('a OK');
    imap.send('b SELECT INBOX');
    expect((await imap.readUntil('b OK')).toString()).toContain('* 0 EXISTS');
    imap.send('c IDLE');
    await imap.readUntil('+ ');

    // inbound: the directory replica accepts bob, the body goes to the object store, spam-filter and mailbox-store read it
    const inbound = nodemailer.createTransport({ host: '127.0.0.1', port: stack.smtpPort, secure: false, ignoreTLS: true });
    const accepted = await inbound.sendMail({ from: 'alice@crepes.fr', to: 'bob@example.test', subject: 'a long one', text: largeBody });
    inbound.close();
    const queueId = /queued as (\S+)/.exec(accepted.response)?.[1] ?? '';
    // mailbox-store's notice on bob's subject reaches the IDLE session (readUntil fails with what came instead)
    await imap.readUntil('* 1 EXISTS', 60_000);
    imap.send('DONE');
    await imap.readUntil('c OK');
    imap.close();
    await waitFor(async () => (await countMessages(stack.pop3Port, 'bob@example.test', 'hungry')) === 1, { timeoutMs: 60_000, description: 'the message in bob’s maildrop' });
    const pop3 = await Pop3Client.login(stack.pop3Port, 'bob@example.test', 'hungry');
    expect((await pop3.retrieve(1)).content.toString()).toContain(largeBody.slice(0, 2000));
    expect(await pop3.command('DELE 1')).toMatch(/^\+OK/);
    await pop3.quit();

    // outbound: submission, spam-filter queues it, the relay reads the body, delivers, deletes the body
    const submission = nodemailer.createTransport({ host: '127.0.0.1', port: stack.submissionPort, secure: false, ignoreTLS: true, auth: { user: 'bob@example.test', pass: 'hungry' } });
    await submission.sendMail({ from: 'bob@example.test', to: 'carol@remote.test', subject: 'out', text: largeBody });
    submission.close();
    await waitFor(() => sink.transactions.some((t) => t.rcptTo.includes('carol@remote.test')), { timeoutMs: 90_000, description: 'the message at the remote MX' });

    // mailctl: the relay's queue, the spam filter's statistics, and the journey read from the streams
    for (const args of [
      ['queue', 'list'],
      ['spam', 'stats'],
      ['trace', queueId],
    ]) {
      const result = await stack.mailctl(...args);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code: 0, stderr: '' });
    }
    expect((await stack.mailctl('trace', queueId)).stdout).toContain('mailbox-store');

    expect(nats.output()).not.toMatch(/Violation/);
  });

  it('refuses pop3-server queueing outbound mail and mailctl injecting inbound mail', async () => {
    const pop3 = await connectAs('pop3-server');
    try {
      await expect(jetstream(pop3).publish(ns.eventSubject(Events.outboundQueued), '{}')).rejects.toThrow(/permissions violation/i);
    } finally {
      await pop3.close();
    }
    const mailctl = await connectAs('mailctl');
    try {
      await expect(jetstream(mailctl).publish(ns.eventSubject(Events.mailReceived), '{}')).rejects.toThrow(/permissions violation/i);
    } finally {
      await mailctl.close();
    }
    for (const logged of [/Publish Violation - User "pop3-server", Subject "mail\.v1\.outbound\.queued"/, /Publish Violation - User "mailctl", Subject "mail\.v1\.inbound\.received"/]) {
      await waitFor(() => logged.test(nats.output()), { description: `the server's log line ${logged.source}` });
    }
  });

  it('refuses smtp-ingress listening to the admin requests', async () => {
    const ingress = await connectAs('smtp-ingress');
    try {
      ingress.subscribe(ns.requestSubject(Requests.admin));
      await ingress.flush();
      await waitFor(() => /Subscription Violation - User "smtp-ingress", Subject "mail\.v1\.admin"/.test(nats.output()), { description: 'the refused subscription' });
    } finally {
      await ingress.close();
    }
  });

  it('refuses a client without credentials, or with a wrong password', async () => {
    await expect(connectAs(undefined)).rejects.toThrow(/authorization violation/i);
    await expect(connectAs('mailbox-store', 'not-the-password')).rejects.toThrow(/authorization violation/i);
  });
});
