// Tests of quit.ts: goodbye before login, UPDATE after login (RFC 1939 §6).
import { describe, expect, it } from 'vitest';
import { createHarness, createLoggedInHarness } from '../test-support/command-harness';
import { handleQuit } from './quit';

describe('QUIT', () => {
  it('just says goodbye in AUTHORIZATION', async () => {
    const { ctx, channel } = createHarness();
    expect(await handleQuit(ctx, { kind: 'QUIT' })).toBe('close');
    expect(channel.take()).toBe('+OK pop.example.test POP3 server signing off\r\n');
  });

  it('expunges the marked messages in UPDATE', async () => {
    const { ctx, channel, mailbox } = await createLoggedInHarness(['a\r\n', 'b\r\n', 'c\r\n']);
    ctx.session.maildrop?.markDeleted(1);
    ctx.session.maildrop?.markDeleted(3);
    expect(await handleQuit(ctx, { kind: 'QUIT' })).toBe('close');
    expect(ctx.session.state).toBe('UPDATE');
    expect(mailbox.expunged).toEqual([['uid-1', 'uid-3']]);
    expect(channel.take()).toBe('+OK pop.example.test POP3 server signing off (1 message left)\r\n');
  });

  it('sends no expunge when nothing is marked', async () => {
    const { ctx, channel, mailbox } = await createLoggedInHarness([]);
    await handleQuit(ctx, { kind: 'QUIT' });
    expect(mailbox.expunged).toEqual([]);
    expect(channel.take()).toBe('+OK pop.example.test POP3 server signing off (maildrop empty)\r\n');
  });

  it('deletes nothing and says SYS/TEMP when the expunge fails, and still closes', async () => {
    const { ctx, channel, mailbox } = await createLoggedInHarness(['a\r\n']);
    ctx.session.maildrop?.markDeleted(1);
    mailbox.down = true;
    expect(await handleQuit(ctx, { kind: 'QUIT' })).toBe('close');
    expect(channel.take()).toBe('-ERR [SYS/TEMP] some deleted messages not removed, try again later\r\n');
    expect(mailbox.messages.get('bob@example.test')).toHaveLength(1);
  });
});
