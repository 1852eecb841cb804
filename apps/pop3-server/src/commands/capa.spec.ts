// Tests of capa.ts: what is offered with and without TLS.
import { describe, expect, it } from 'vitest';
import { createSecureContext } from 'node:tls';
import { OncePerUserDelay, createHarness } from '../test-support/command-harness';
import { handleCapa } from './capa';

describe('CAPA', () => {
  it('lists the capabilities without STLS when no certificate is configured', async () => {
    const { ctx, channel } = createHarness();
    await handleCapa(ctx, { kind: 'CAPA' });
    expect(channel.take()).toBe(
      '+OK Capability list follows\r\nTOP\r\nUIDL\r\nUSER\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nSASL PLAIN\r\n' + 'EXPIRE NEVER\r\nIMPLEMENTATION mail-platform pop3-server\r\n.\r\n',
    );
  });

  it('offers STLS until TLS is active, and passwords only over TLS when plaintext is disallowed', async () => {
    const { ctx, channel } = createHarness({ tls: { current: () => createSecureContext() }, allowPlaintextAuth: false });
    await handleCapa(ctx, { kind: 'CAPA' });
    const before = channel.take();
    expect(before).toContain('\r\nSTLS\r\n');
    expect(before).not.toContain('USER');
    expect(before).not.toContain('SASL');
    channel.tlsActive = true;
    await handleCapa(ctx, { kind: 'CAPA' });
    const after = channel.take();
    expect(after).not.toContain('STLS');
    expect(after).toContain('\r\nUSER\r\n');
    expect(after).toContain('\r\nSASL PLAIN\r\n');
  });

  it('announces LOGIN-DELAY when a delay is enforced', async () => {
    const { ctx, channel } = createHarness({}, { loginDelay: new OncePerUserDelay(300) });
    await handleCapa(ctx, { kind: 'CAPA' });
    expect(channel.take()).toContain('\r\nEXPIRE NEVER\r\nIMPLEMENTATION mail-platform pop3-server\r\nLOGIN-DELAY 300\r\n.\r\n');
  });
});
