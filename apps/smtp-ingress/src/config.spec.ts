// Tests of config.ts: the per-listener PROXY trust lists and their errors.
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '@mail/config';
import { smtpIngressConfig } from './config';

describe('smtpIngressConfig', () => {
  it('has safe defaults: no trusted proxies, no plain-text AUTH, greeting at once', () => {
    const config = readConfig(smtpIngressConfig, {});
    expect(config.proxyTrustedInbound.empty).toBe(true);
    expect(config.proxyTrustedSubmission.empty).toBe(true);
    expect(config.allowPlaintextAuth).toBe(false);
    expect(config.greetPauseMs).toBe(0);
    expect(config.screenTimeoutMs).toBe(1500);
    expect([config.maxConnectionsPerIp, config.maxConnectionRate, config.maxMessagesPerConnection, config.sessionTimeoutMs]).toEqual([20, 100, 100, 30 * 60_000]);
  });

  it('applies PROXY_PROTOCOL_TRUSTED to both listeners unless a listener has its own list', () => {
    const config = readConfig(smtpIngressConfig, { PROXY_PROTOCOL_TRUSTED: '10.0.0.0/8', SUBMISSION_PROXY_PROTOCOL_TRUSTED: '192.0.2.10' });
    expect(config.proxyTrustedInbound.includes('10.1.1.1')).toBe(true);
    expect(config.proxyTrustedSubmission.includes('10.1.1.1')).toBe(false);
    expect(config.proxyTrustedSubmission.includes('192.0.2.10')).toBe(true);
  });

  it('names the variable and the bad entry', () => {
    expect(() => readConfig(smtpIngressConfig, { SMTP_PROXY_PROTOCOL_TRUSTED: '10.0.0.0/8,lb.example.test' })).toThrow(ConfigError);
    expect(() => readConfig(smtpIngressConfig, { PROXY_PROTOCOL_TRUSTED: '10.0.0.0/40' })).toThrow(/^PROXY_PROTOCOL_TRUSTED must be .*prefix length must be 0-32/);
  });
});
