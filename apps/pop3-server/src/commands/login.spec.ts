// Tests of login.ts: the brute-force limits and LOGIN-DELAY around every login.
import { describe, expect, it } from 'vitest';
import { OncePerUserDelay, createHarness, refusal } from '../test-support/command-harness';
import { logInWithPassword } from './login';

describe('logIn', () => {
  it('refuses even the right password once the user has too many failures, without asking mailbox-store', async () => {
    const { ctx, mailbox, metrics } = createHarness();
    mailbox.addUser('bob@example.test', 'hungry');
    for (let i = 0; i < 3; i++) {
      expect(await refusal(() => logInWithPassword(ctx, 'bob@example.test', 'guess', 'pass'))).toBe('-ERR [AUTH] invalid user name or password\r\n');
    }
    let asked = false;
    mailbox.verifyCredentials = async () => {
      asked = true;
      return 'bob@example.test';
    };
    expect(await refusal(() => logInWithPassword(ctx, 'bob@example.test', 'hungry', 'pass'))).toBe('-ERR [AUTH] too many failed logins, try again later\r\n');
    expect(asked).toBe(false);
    expect(metrics.logins).toEqual(['failure', 'failure', 'failure', 'blocked']);
    expect(metrics.authFailures).toEqual(['pass', 'pass', 'pass']);
    expect(ctx.session.state).toBe('AUTHORIZATION');
  });

  it('blocks the client network across user names', async () => {
    const { ctx, mailbox } = createHarness();
    mailbox.addUser('carol@example.test', 'pickles');
    for (const user of ['a@example.test', 'b@example.test', 'c@example.test']) await refusal(() => logInWithPassword(ctx, user, 'x', 'plain'));
    expect(await refusal(() => logInWithPassword(ctx, 'carol@example.test', 'pickles', 'plain'))).toMatch(/too many failed logins/);
  });

  it("forgets the user's failures after a successful login", async () => {
    const { ctx, mailbox, throttle } = createHarness();
    mailbox.addUser('bob@example.test', 'hungry');
    await refusal(() => logInWithPassword(ctx, 'bob@example.test', 'guess', 'pass'));
    await logInWithPassword(ctx, 'bob@example.test', 'hungry', 'pass');
    expect(throttle.failures.has('user:bob@example.test')).toBe(false);
    expect(throttle.failures.get('net:127.0.0.1')).toBe(1);
  });

  it('refuses a login within LOGIN-DELAY with [LOGIN-DELAY] (RFC 2449 §8.1.1), holding no lock', async () => {
    const delay = new OncePerUserDelay(60);
    delay.seen.add('bob@example.test');
    const { ctx, mailbox, locks, metrics } = createHarness({}, { loginDelay: delay });
    mailbox.addUser('bob@example.test', 'hungry');
    expect(await refusal(() => logInWithPassword(ctx, 'bob@example.test', 'hungry', 'pass'))).toBe('-ERR [LOGIN-DELAY] logins are allowed once every 60 seconds\r\n');
    expect(locks.held.size).toBe(0);
    expect(metrics.logins).toEqual(['login-delay']);
  });
});
