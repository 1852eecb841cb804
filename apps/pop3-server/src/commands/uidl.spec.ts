// Tests of uidl.ts.
import { describe, expect, it } from 'vitest';
import { createLoggedInHarness, refusal } from '../test-support/command-harness';
import { handleUidl } from './uidl';

describe('UIDL', () => {
  it('lists the stored uids of the visible messages', async () => {
    const { ctx, channel } = await createLoggedInHarness(['a\r\n', 'b\r\n', 'c\r\n']);
    ctx.session.maildrop?.markDeleted(2);
    await handleUidl(ctx, { kind: 'UIDL' });
    expect(channel.take()).toBe('+OK unique-id listing follows\r\n1 uid-1\r\n3 uid-3\r\n.\r\n');
    await handleUidl(ctx, { kind: 'UIDL', msg: 3 });
    expect(channel.take()).toBe('+OK 3 uid-3\r\n');
    expect(await refusal(() => handleUidl(ctx, { kind: 'UIDL', msg: 2 }))).toBe('-ERR message 2 already deleted\r\n');
  });
});
