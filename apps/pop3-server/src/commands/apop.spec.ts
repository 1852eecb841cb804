// Tests of apop.ts: the digest against this session's greeting timestamp, and APOP switched off.
import { apopDigest } from '@mail/pop3';
import { describe, expect, it } from 'vitest';
import { createHarness, refusal } from '../test-support/command-harness';
import { handleApop } from './apop';

/** RFC 1939 §7 (seed 004): the example timestamp, secret and digest. */
const timestamp = '<1896.697170952@dbc.mtview.ca.us>';
const digest = 'c4c9334bac560ecc979e58001b3e22fb';

function harnessWithMrose(apopEnabled = true) {
  const harness = createHarness({ apopEnabled });
  harness.mailbox.addUser('mrose@example.test', 'password', ['a\r\n']);
  harness.mailbox.apopSecrets.set('mrose@example.test', 'tanstaaf');
  harness.ctx.session.apopTimestamp = apopEnabled ? timestamp : undefined;
  return harness;
}

describe('APOP', () => {
  it("logs in with the RFC's digest of the greeting timestamp", async () => {
    expect(apopDigest(timestamp, 'tanstaaf')).toBe(digest);
    const { ctx, channel, metrics } = harnessWithMrose();
    await handleApop(ctx, { kind: 'APOP', name: 'mrose@example.test', digest });
    expect(channel.take()).toBe('+OK maildrop has 1 message (3 octets)\r\n');
    expect(ctx.session.state).toBe('TRANSACTION');
    expect(metrics.logins).toEqual(['success']);
  });

  it('refuses a digest of another timestamp, and counts the failure', async () => {
    const { ctx, metrics, throttle } = harnessWithMrose();
    ctx.session.apopTimestamp = '<1896.697170953@dbc.mtview.ca.us>';
    expect(await refusal(() => handleApop(ctx, { kind: 'APOP', name: 'mrose@example.test', digest }))).toBe('-ERR [AUTH] invalid user name or password\r\n');
    expect(metrics.authFailures).toEqual(['apop']);
    expect(throttle.failures.get('user:mrose@example.test')).toBe(1);
  });

  it('is refused outright when APOP is off', async () => {
    const { ctx, metrics } = harnessWithMrose(false);
    expect(await refusal(() => handleApop(ctx, { kind: 'APOP', name: 'mrose@example.test', digest }))).toBe('-ERR APOP not supported, use USER/PASS or AUTH PLAIN\r\n');
    expect(metrics.logins).toEqual([]);
  });

  it('works without TLS even when plaintext passwords are disallowed (no password is sent)', async () => {
    const harness = createHarness({ apopEnabled: true, allowPlaintextAuth: false });
    harness.mailbox.addUser('mrose@example.test', 'password', []);
    harness.mailbox.apopSecrets.set('mrose@example.test', 'tanstaaf');
    harness.ctx.session.apopTimestamp = timestamp;
    await handleApop(harness.ctx, { kind: 'APOP', name: 'mrose@example.test', digest });
    expect(harness.ctx.session.state).toBe('TRANSACTION');
  });
});
