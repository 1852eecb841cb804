// Tests of retr.ts: octet count, byte-stuffing, and failures before and after +OK.
import { describe, expect, it } from 'vitest';
import { ResponseInterruptedError } from '@mail/tcp-session';
import { createLoggedInHarness, refusal } from '../test-support/command-harness';
import { handleRetr } from './retr';

const seed = 'this message is a test of SMTP\r\n.\r\n.foo\r\n.\r\n';

describe('RETR', () => {
  it('sends the stored size, then the stuffed message and the terminator', async () => {
    const { ctx, channel, metrics } = await createLoggedInHarness([seed]);
    await handleRetr(ctx, { kind: 'RETR', msg: 1 });
    expect(channel.take()).toBe(`+OK ${seed.length} octets\r\nthis message is a test of SMTP\r\n..\r\n..foo\r\n..\r\n.\r\n`);
    expect(metrics.retrOctetsTotal).toBe(seed.length);
  });

  it('ends a message without a final CRLF on a line of its own', async () => {
    const { ctx, channel } = await createLoggedInHarness(['no newline']);
    await handleRetr(ctx, { kind: 'RETR', msg: 1 });
    expect(channel.take()).toBe('+OK 10 octets\r\nno newline\r\n.\r\n');
  });

  it('answers SYS/TEMP before +OK when the first chunk cannot be read', async () => {
    const { ctx, channel, mailbox } = await createLoggedInHarness([seed]);
    mailbox.failChunk = 0;
    expect(await refusal(() => handleRetr(ctx, { kind: 'RETR', msg: 1 }))).toMatch(/^-ERR \[SYS\/TEMP\] /);
    expect(channel.take()).toBe('');
  });

  it('interrupts the response when a later chunk fails', async () => {
    const { ctx, channel, mailbox } = await createLoggedInHarness([seed]);
    mailbox.failChunk = 2;
    await expect(handleRetr(ctx, { kind: 'RETR', msg: 1 })).rejects.toBeInstanceOf(ResponseInterruptedError);
    const sent = channel.take();
    expect(sent.startsWith(`+OK ${seed.length} octets\r\n`)).toBe(true);
    expect(sent).not.toContain('\r\n.\r\n');
  });

  it('serves the next small messages from one prefetch, byte-stuffed, skipping those marked as deleted', async () => {
    const { ctx, channel, mailbox } = await createLoggedInHarness([seed, '.dot first\r\n', 'third\r\n']);
    await handleRetr(ctx, { kind: 'RETR', msg: 1 });
    channel.take();
    ctx.session.maildrop?.markDeleted(2);
    expect(await refusal(() => handleRetr(ctx, { kind: 'RETR', msg: 2 }))).toBe('-ERR message 2 already deleted\r\n');
    await handleRetr(ctx, { kind: 'RETR', msg: 3 });
    expect(channel.take()).toBe('+OK 7 octets\r\nthird\r\n.\r\n');
    expect(mailbox.prefetchRequests).toBe(1);
    expect(mailbox.chunksRead).toBe(0);
  });

  it('refuses deleted and missing messages', async () => {
    const { ctx } = await createLoggedInHarness([seed]);
    ctx.session.maildrop?.markDeleted(1);
    expect(await refusal(() => handleRetr(ctx, { kind: 'RETR', msg: 1 }))).toBe('-ERR message 1 already deleted\r\n');
    expect(await refusal(() => handleRetr(ctx, { kind: 'RETR', msg: 2 }))).toMatch(/^-ERR no such message/);
  });
});
