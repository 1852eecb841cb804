// Tests of auth.ts: PLAIN (initial response and continuation) and LOGIN (RFC 4954, RFC 4616),
// cancel, malformed answers, wrong passwords, lock-outs and the store being down.
import { describe, expect, it } from 'vitest';
import { MAX_AUTH_LINE } from '@mail/smtp';
import { converse, createHarness, type Harness } from '../../test-support/command-harness';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const plain = (user: string, password: string, authzid = ''): string => b64(`${authzid}\0${user}\0${password}`);

async function submission(): Promise<Harness> {
  const h = createHarness({ listener: 'submission', settings: { maxErrors: 100 } });
  h.ctx.state.tls = true;
  await converse(h, 'EHLO client.test\r\n');
  return h;
}

describe('AUTH', () => {
  it('is advertised on submission over TLS only', async () => {
    const h = await submission();
    expect(await converse(h, 'EHLO client.test\r\n')).toMatch(/\r\n250 AUTH PLAIN LOGIN\r\n$/);
    const plainText = createHarness({ listener: 'submission' });
    const plainEhlo = await converse(plainText, 'EHLO client.test\r\n');
    expect(plainEhlo).toMatch(/^250-/);
    expect(plainEhlo).not.toMatch(/AUTH/);
    expect(await converse(plainText, 'AUTH PLAIN\r\n')).toMatch(/^538 5\.7\.11 /);
    const inbound = createHarness();
    inbound.ctx.state.tls = true;
    const inboundEhlo = await converse(inbound, 'EHLO client.test\r\n');
    expect(inboundEhlo).toMatch(/^250-/);
    expect(inboundEhlo).not.toMatch(/AUTH/);
    expect(await converse(inbound, `AUTH PLAIN ${plain('bob@example.test', 'hungry')}\r\n`)).toBe('502 5.5.1 AUTH not available\r\n');
  });

  it('accepts PLAIN with an initial response and records the user', async () => {
    const h = await submission();
    expect(await converse(h, `AUTH PLAIN ${plain('Bob@Example.test', 'hungry')}\r\n`)).toBe('235 2.7.0 Authentication successful\r\n');
    expect(h.ctx.state.authUser).toBe('bob@example.test');
    expect(h.metrics.counts.get('auth:PLAIN:success')).toBe(1);
    expect(await converse(h, `AUTH PLAIN ${plain('bob@example.test', 'hungry')}\r\n`)).toMatch(/^503 5\.5\.1 .*already authenticated/);
  });

  it('accepts PLAIN after an empty 334 challenge, and an authzid naming the user itself', async () => {
    const h = await submission();
    expect(await converse(h, `AUTH PLAIN\r\n${plain('bob@example.test', 'hungry', 'bob@example.test')}\r\n`)).toBe('334\r\n235 2.7.0 Authentication successful\r\n');
  });

  it('accepts LOGIN, with and without the user name as initial response', async () => {
    const h = await submission();
    expect(await converse(h, `AUTH LOGIN\r\n${b64('carol@example.test')}\r\n${b64('pickles')}\r\n`)).toBe('334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n235 2.7.0 Authentication successful\r\n');
    expect(h.ctx.state.authUser).toBe('carol@example.test');
    const again = await submission();
    expect(await converse(again, `AUTH login ${b64('bob@example.test')}\r\n${b64('hungry')}\r\n`)).toBe('334 UGFzc3dvcmQ6\r\n235 2.7.0 Authentication successful\r\n');
  });

  it('answers a wrong password with 535 5.7.8 and counts the failure per IP and user', async () => {
    const h = await submission();
    expect(await converse(h, `AUTH PLAIN ${plain('bob@example.test', 'wrong')}\r\n`)).toBe('535 5.7.8 Authentication credentials invalid\r\n');
    expect(h.ctx.state.authUser).toBeUndefined();
    expect(h.authFailures.byIp.get('192.0.2.1')).toBe(1);
    expect(h.authFailures.byUser.get('bob@example.test')).toBe(1);
    expect(h.metrics.counts.get('auth:PLAIN:failure')).toBe(1);
  });

  it('refuses an authzid naming someone else (RFC 4616 §2)', async () => {
    const h = await submission();
    expect(await converse(h, `AUTH PLAIN ${plain('bob@example.test', 'hungry', 'carol@example.test')}\r\n`)).toMatch(/^535 5\.7\.8 /);
  });

  it('locks the user out with 454 4.7.0 after too many failures, without checking the password', async () => {
    const h = await submission();
    for (let i = 0; i < 3; i++) await converse(h, `AUTH PLAIN ${plain('bob@example.test', `guess${i}`)}\r\n`);
    expect(await converse(h, `AUTH PLAIN ${plain('bob@example.test', 'hungry')}\r\n`)).toBe('454 4.7.0 Too many authentication failures, try again later\r\n');
    expect(h.metrics.counts.get('auth:PLAIN:locked')).toBe(1);
    // Another user from the same IP still works until the IP limit
    expect(await converse(h, `AUTH PLAIN ${plain('carol@example.test', 'pickles')}\r\n`)).toMatch(/^235 /);
  });

  it('cancels on "*" with 501 and refuses undecodable or malformed answers with 501 5.5.2', async () => {
    const h = await submission();
    expect(await converse(h, 'AUTH LOGIN\r\n*\r\n')).toBe('334 VXNlcm5hbWU6\r\n501 5.7.0 Authentication canceled\r\n');
    expect(h.metrics.counts.get('auth:LOGIN:cancelled')).toBe(1);
    expect(await converse(h, 'AUTH PLAIN\r\nnot base64!\r\n')).toBe('334\r\n501 5.5.2 Cannot decode BASE64 response\r\n');
    expect(await converse(h, `AUTH PLAIN ${b64('no separators')}\r\n`)).toMatch(/^501 5\.5\.2 Malformed PLAIN response/);
    expect(await converse(h, 'AUTH CRAM-MD5\r\n')).toBe('504 5.5.4 Unrecognized authentication type\r\n');
  });

  it('reads AUTH lines up to MAX_AUTH_LINE and refuses longer ones with 500 5.5.6 (RFC 4954 §4, §6)', async () => {
    const h = await submission();
    // Longer than a command line but a valid (if wrong) response: read whole
    expect(await converse(h, `AUTH PLAIN\r\n${'A'.repeat(600)}\r\n`)).toMatch(/^334\r\n501 5\.5\.2 Malformed PLAIN/);
    expect(await converse(h, `AUTH PLAIN\r\n${'A'.repeat(MAX_AUTH_LINE + 4)}\r\nNOOP\r\n`)).toBe('334\r\n500 5.5.6 Authentication exchange line is too long\r\n250 2.0.0 Ok\r\n');
  });

  it('answers 454 4.7.0 when the account store cannot answer', async () => {
    const h = await submission();
    h.credentials.down = true;
    expect(await converse(h, `AUTH PLAIN ${plain('bob@example.test', 'hungry')}\r\n`)).toBe('454 4.7.0 Temporary authentication failure, try again later\r\n');
    expect(h.metrics.counts.get('auth:PLAIN:unavailable')).toBe(1);
    expect(h.authFailures.byIp.size).toBe(0);
  });

  it('allows plain-text AUTH from loopback only when configured', async () => {
    const loopback = createHarness({ listener: 'submission', clientIp: '127.0.0.1', settings: { allowPlaintextAuth: true } });
    expect(await converse(loopback, 'EHLO client.test\r\n')).toMatch(/250 AUTH PLAIN LOGIN\r\n$/);
    expect(await converse(loopback, `AUTH PLAIN ${plain('bob@example.test', 'hungry')}\r\n`)).toMatch(/^235 /);
    const remote = createHarness({ listener: 'submission', settings: { allowPlaintextAuth: true } });
    await converse(remote, 'EHLO client.test\r\n');
    expect(await converse(remote, `AUTH PLAIN ${plain('bob@example.test', 'hungry')}\r\n`)).toMatch(/^538 5\.7\.11 /);
  });
});
