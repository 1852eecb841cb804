// Tests of user.ts.
import { describe, expect, it } from 'vitest';
import { createHarness, refusal } from '../test-support/command-harness';
import { handleUser } from './user';

describe('USER', () => {
  it('accepts any name without saying whether it exists', async () => {
    const { ctx, channel } = createHarness();
    await handleUser(ctx, { kind: 'USER', name: 'nobody@example.test' });
    expect(channel.take()).toBe('+OK send PASS\r\n');
    expect(ctx.session.pendingUser).toBe('nobody@example.test');
  });

  it('refuses when passwords need TLS and TLS is not active', async () => {
    const { ctx } = createHarness({ allowPlaintextAuth: false });
    expect(await refusal(() => handleUser(ctx, { kind: 'USER', name: 'bob@example.test' }))).toMatch(/^-ERR \[AUTH\] plaintext/);
  });
});
