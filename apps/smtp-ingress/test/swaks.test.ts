/**
 * swaks, the SMTP test tool operators use, against the real process:
 * submission with `--auth PLAIN --tls` (relaying to another domain), the
 * inbound listener without AUTH to a local user, and unauthenticated relay
 * attempts refused on both listeners. Needs swaks and openssl (Debian
 * packages `swaks`, `openssl`): without them it fails under CI, skips elsewhere.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools, externalTools, swaks } from '@mail/testing';
import { startIngressStack, type IngressStack } from './fixtures/ingress-stack';
import { selfSignedCertificate } from './fixtures/tls-session';

describeWithTools([externalTools.swaks, externalTools.openssl], 'smtp-ingress with swaks', () => {
  let ingress: IngressStack;
  let certificate: ReturnType<typeof selfSignedCertificate>;

  beforeAll(async () => {
    certificate = selfSignedCertificate('mx.example.test');
    ingress = await startIngressStack({ TLS_CERT_FILE: certificate.certFile, TLS_KEY_FILE: certificate.keyFile });
  });
  afterAll(async () => {
    await ingress?.stop();
    certificate?.remove();
  });

  it('submits with --auth PLAIN --tls and relays to another domain', async () => {
    const result = await swaks(
      '--port',
      String(ingress.stack.submissionPort),
      '--tls',
      '--auth',
      'PLAIN',
      '--auth-user',
      'bob@example.test',
      '--auth-password',
      'hungry',
      '--from',
      'bob@example.test',
      '--to',
      'friend@elsewhere.test',
      '--header',
      'Subject: swaks',
      '--body',
      'sent with swaks',
    );
    expect(result.transcript).toMatch(/<~\s+235 2\.7\.0 Authentication successful/);
    expect(result.code, result.transcript).toBe(0);
    const queueId = /<~\s+250 2\.0\.0 Ok: queued as (\S+)/.exec(result.transcript)?.[1];
    const event = await ingress.eventOf(queueId);
    expect(event.session).toMatchObject({ listener: 'submission', tls: true, authUser: 'bob@example.test' });
    expect(event.envelope.recipients).toEqual([{ address: 'friend@elsewhere.test', route: 'remote' }]);
  });

  it('delivers to a local user through the inbound listener without AUTH', async () => {
    const result = await swaks('--port', String(ingress.stack.smtpPort), '--from', 'alice@crepes.fr', '--to', 'bob@example.test', '--body', 'Do you like ketchup?');
    expect(result.code, result.transcript).toBe(0);
    expect(result.transcript).toMatch(/<-\s+250 2\.0\.0 Ok: queued as /);
  });

  it('is refused when it tries to relay without AUTH, on either listener', async () => {
    const inbound = await swaks('--port', String(ingress.stack.smtpPort), '--from', 'alice@crepes.fr', '--to', 'someone@elsewhere.test');
    expect(inbound.code).not.toBe(0);
    expect(inbound.transcript).toMatch(/<\*\*\s+550 5\.7\.1 Relaying denied/);
    const submission = await swaks('--port', String(ingress.stack.submissionPort), '--tls', '--from', 'bob@example.test', '--to', 'someone@elsewhere.test');
    expect(submission.code).not.toBe(0);
    expect(submission.transcript).toMatch(/<~\*\s+530 5\.7\.0 Authentication required/);
  });
});
