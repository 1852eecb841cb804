// Tests of stls.ts.
import { describe, expect, it } from 'vitest';
import { createSecureContext } from 'node:tls';
import { createHarness, refusal } from '../test-support/command-harness';
import { handleStls } from './stls';

describe('STLS', () => {
  it('is refused without a certificate', async () => {
    const { ctx } = createHarness();
    expect(await refusal(() => handleStls(ctx, { kind: 'STLS' }))).toBe('-ERR STLS not available, no certificate configured\r\n');
  });

  it('announces the handshake, forgets a pending USER, and is refused once TLS is active', async () => {
    const { ctx, channel } = createHarness({ tls: { current: () => createSecureContext() } });
    ctx.session.pendingUser = 'bob@example.test';
    await handleStls(ctx, { kind: 'STLS' });
    expect(channel.take()).toBe('+OK begin TLS negotiation\r\n');
    expect(channel.tlsActive).toBe(true);
    expect(ctx.session.pendingUser).toBeUndefined();
    expect(await refusal(() => handleStls(ctx, { kind: 'STLS' }))).toBe('-ERR command not permitted when TLS active\r\n');
  });
});
