// Tests of pass.ts and the login it shares with AUTH (login.ts).
import { describe, expect, it } from 'vitest';
import { createHarness, refusal } from '../test-support/command-harness';
import { handlePass } from './pass';

function harnessWithBob() {
  const harness = createHarness();
  harness.mailbox.addUser('bob@example.test', 'hungry', ['a\r\n', 'bb\r\n']);
  harness.ctx.session.pendingUser = 'bob@example.test';
  return harness;
}

describe('PASS', () => {
  it('logs in, locks and numbers the maildrop', async () => {
    const { ctx, channel, locks, metrics } = harnessWithBob();
    await handlePass(ctx, { kind: 'PASS', password: 'hungry' });
    expect(channel.take()).toBe('+OK maildrop has 2 messages (7 octets)\r\n');
    expect(ctx.session.state).toBe('TRANSACTION');
    expect(ctx.session.user).toBe('bob@example.test');
    expect(ctx.session.maildrop?.get(2).uid).toBe('uid-2');
    expect(locks.held.get('bob@example.test')).toBe('session-1');
    expect(metrics.logins).toEqual(['success']);
  });

  it('says only that the user name or password is wrong, and forgets the USER', async () => {
    const { ctx, metrics } = harnessWithBob();
    expect(await refusal(() => handlePass(ctx, { kind: 'PASS', password: 'wrong' }))).toBe('-ERR [AUTH] invalid user name or password\r\n');
    expect(ctx.session.state).toBe('AUTHORIZATION');
    expect(ctx.session.pendingUser).toBeUndefined();
    expect(metrics.logins).toEqual(['failure']);
  });

  it('requires USER first', async () => {
    const { ctx } = createHarness();
    expect(await refusal(() => handlePass(ctx, { kind: 'PASS', password: 'x' }))).toBe('-ERR PASS must follow USER\r\n');
  });

  it('refuses with IN-USE while another session holds the maildrop', async () => {
    const { ctx, locks, metrics } = harnessWithBob();
    locks.held.set('bob@example.test', 'other-session');
    expect(await refusal(() => handlePass(ctx, { kind: 'PASS', password: 'hungry' }))).toBe('-ERR [IN-USE] maildrop already locked\r\n');
    expect(ctx.session.state).toBe('AUTHORIZATION');
    expect(metrics.logins).toEqual(['in-use']);
  });

  it('answers SYS/TEMP when mailbox-store is down, and holds no lock', async () => {
    const { ctx, mailbox, locks, metrics } = harnessWithBob();
    mailbox.down = true;
    expect(await refusal(() => handlePass(ctx, { kind: 'PASS', password: 'hungry' }))).toMatch(/^-ERR \[SYS\/TEMP\] /);
    expect(locks.held.size).toBe(0);
    expect(metrics.logins).toEqual(['error']);
  });

  it('releases the lock when the listing fails after the lock was taken', async () => {
    const { ctx, mailbox, locks } = harnessWithBob();
    mailbox.listMaildrop = async () => {
      throw new Error('listing failed');
    };
    await expect(handlePass(ctx, { kind: 'PASS', password: 'hungry' })).rejects.toThrow('listing failed');
    expect(locks.held.size).toBe(0);
    expect(ctx.session.state).toBe('AUTHORIZATION');
  });
});
