// Tests of dele.ts and rset.ts: marks, and nothing removed before QUIT.
import { describe, expect, it } from 'vitest';
import { createLoggedInHarness, refusal } from '../test-support/command-harness';
import { handleDele } from './dele';
import { handleRset } from './rset';

describe('DELE and RSET', () => {
  it('mark without removing, refuse a second mark, and unmark on RSET', async () => {
    const { ctx, channel, mailbox } = await createLoggedInHarness(['a\r\n', 'bb\r\n']);
    await handleDele(ctx, { kind: 'DELE', msg: 1 });
    expect(channel.take()).toBe('+OK message 1 deleted\r\n');
    expect(await refusal(() => handleDele(ctx, { kind: 'DELE', msg: 1 }))).toBe('-ERR message 1 already deleted\r\n');
    expect(mailbox.expunged).toEqual([]);
    await handleRset(ctx, { kind: 'RSET' });
    expect(channel.take()).toBe('+OK maildrop has 2 messages (7 octets)\r\n');
    expect(ctx.session.maildrop?.deletedUids()).toEqual([]);
  });
});
