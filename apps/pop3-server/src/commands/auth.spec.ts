// Tests of auth.ts: SASL PLAIN with an initial response and with a continuation.
import { describe, expect, it } from 'vitest';
import { createHarness, refusal } from '../test-support/command-harness';
import { handleAuth } from './auth';

const plain = (authzid: string, authcid: string, password: string): string => Buffer.from(`${authzid}\0${authcid}\0${password}`).toString('base64');

function harnessWithBob(settings = {}) {
  const harness = createHarness(settings);
  harness.mailbox.addUser('bob@example.test', 'hungry', ['hello\r\n']);
  return harness;
}

describe('AUTH', () => {
  it('lists the mechanisms for a bare AUTH', async () => {
    const { ctx, channel } = harnessWithBob();
    await handleAuth(ctx, { kind: 'AUTH' });
    expect(channel.take()).toBe('+OK SASL mechanisms follow\r\nPLAIN\r\n.\r\n');
  });

  it('logs in with an initial response', async () => {
    const { ctx, channel } = harnessWithBob();
    await handleAuth(ctx, { kind: 'AUTH', mechanism: 'PLAIN', initialResponse: plain('', 'bob@example.test', 'hungry') });
    expect(channel.take()).toBe('+OK maildrop has 1 message (7 octets)\r\n');
    expect(ctx.session.state).toBe('TRANSACTION');
  });

  it('sends an empty challenge and reads the response from the next line', async () => {
    const { ctx, channel } = harnessWithBob();
    channel.input.push({ kind: 'line', text: plain('bob@example.test', 'bob@example.test', 'hungry') });
    await handleAuth(ctx, { kind: 'AUTH', mechanism: 'PLAIN' });
    expect(channel.take()).toBe('+ \r\n+OK maildrop has 1 message (7 octets)\r\n');
    expect(channel.maxLineOctets).toBe(255);
  });

  it('refuses a wrong password with [AUTH]', async () => {
    const { ctx } = harnessWithBob();
    const reply = await refusal(() => handleAuth(ctx, { kind: 'AUTH', mechanism: 'PLAIN', initialResponse: plain('', 'bob@example.test', 'nope') }));
    expect(reply).toBe('-ERR [AUTH] invalid user name or password\r\n');
  });

  it('cancels on "*"', async () => {
    const { ctx, channel } = harnessWithBob();
    channel.input.push({ kind: 'line', text: '*' });
    expect(await refusal(() => handleAuth(ctx, { kind: 'AUTH', mechanism: 'PLAIN' }))).toBe('-ERR authentication cancelled\r\n');
  });

  it('refuses other mechanisms, other authorization identities and plaintext without TLS', async () => {
    expect(await refusal(() => handleAuth(harnessWithBob().ctx, { kind: 'AUTH', mechanism: 'CRAM-MD5' }))).toBe('-ERR unsupported SASL mechanism\r\n');
    const proxy = plain('alice@example.test', 'bob@example.test', 'hungry');
    expect(await refusal(() => handleAuth(harnessWithBob().ctx, { kind: 'AUTH', mechanism: 'PLAIN', initialResponse: proxy }))).toMatch(/^-ERR \[AUTH\] authorization identity/);
    const strict = harnessWithBob({ allowPlaintextAuth: false });
    expect(await refusal(() => handleAuth(strict.ctx, { kind: 'AUTH', mechanism: 'PLAIN', initialResponse: proxy }))).toMatch(/^-ERR \[AUTH\] plaintext authentication disallowed/);
  });
});
