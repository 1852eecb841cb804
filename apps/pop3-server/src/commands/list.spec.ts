// Tests of list.ts, and of stat.ts which reports the same numbers.
import { describe, expect, it } from 'vitest';
import { createLoggedInHarness, refusal } from '../test-support/command-harness';
import { handleList } from './list';
import { handleStat } from './stat';

describe('LIST and STAT', () => {
  it('list every message and the drop size', async () => {
    const { ctx, channel } = await createLoggedInHarness(['a\r\n', 'bbb\r\n']);
    await handleList(ctx, { kind: 'LIST' });
    expect(channel.take()).toBe('+OK 2 messages (8 octets)\r\n1 3\r\n2 5\r\n.\r\n');
    await handleList(ctx, { kind: 'LIST', msg: 2 });
    expect(channel.take()).toBe('+OK 2 5\r\n');
    await handleStat(ctx, { kind: 'STAT' });
    expect(channel.take()).toBe('+OK 2 8\r\n');
  });

  it('leave out deleted messages and refuse to list them', async () => {
    const { ctx, channel } = await createLoggedInHarness(['a\r\n', 'bbb\r\n']);
    ctx.session.maildrop?.markDeleted(1);
    await handleList(ctx, { kind: 'LIST' });
    expect(channel.take()).toBe('+OK 1 message (5 octets)\r\n2 5\r\n.\r\n');
    await handleStat(ctx, { kind: 'STAT' });
    expect(channel.take()).toBe('+OK 1 5\r\n');
    expect(await refusal(() => handleList(ctx, { kind: 'LIST', msg: 1 }))).toBe('-ERR message 1 already deleted\r\n');
    expect(await refusal(() => handleList(ctx, { kind: 'LIST', msg: 3 }))).toBe('-ERR no such message, only 2 messages in maildrop\r\n');
  });

  it('list an empty maildrop', async () => {
    const { ctx, channel } = await createLoggedInHarness([]);
    await handleList(ctx, { kind: 'LIST' });
    expect(channel.take()).toBe('+OK 0 messages (0 octets)\r\n.\r\n');
  });
});
