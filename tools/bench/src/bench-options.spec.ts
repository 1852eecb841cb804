import { describe, expect, it } from 'vitest';
import { BenchOptionError, parseBenchOptions, scenarioNames } from './bench-options';

describe('parseBenchOptions', () => {
  it('runs every scenario with the issue’s counts by default', () => {
    const options = parseBenchOptions([]);
    expect(options.scenarios).toEqual([...scenarioNames]);
    expect(options).toMatchObject({ messages: 5000, sessions: 20, latencyRate: 200, compare: false, outDir: 'bench-results', loadGenerator: 'auto' });
  });

  it('keeps the canonical order whatever order the scenarios are given in', () => {
    expect(parseBenchOptions(['--scenarios', 'outbound,idle,inbound']).scenarios).toEqual(['idle', 'inbound', 'outbound']);
    expect(parseBenchOptions(['--scenarios', 'latency,imap,pop3']).scenarios).toEqual(['pop3', 'imap', 'latency']);
  });

  it('makes --quick smaller and lets explicit counts win', () => {
    expect(parseBenchOptions(['--quick']).messages).toBe(1000);
    expect(parseBenchOptions(['--messages', '300', '--quick']).messages).toBe(300);
  });

  it('reads --compare, --out and --load-generator', () => {
    expect(parseBenchOptions(['--compare', '--out', '/tmp/x', '--load-generator', 'builtin'])).toMatchObject({ compare: true, outDir: '/tmp/x', loadGenerator: 'builtin' });
  });

  it('reads --imap-idle-sessions, 10,000 unless --quick', () => {
    expect(parseBenchOptions([]).imapIdleSessions).toBe(10_000);
    expect(parseBenchOptions(['--quick']).imapIdleSessions).toBe(1000);
    expect(parseBenchOptions(['--imap-idle-sessions', '2500']).imapIdleSessions).toBe(2500);
    expect(() => parseBenchOptions(['--imap-idle-sessions', '0'])).toThrow(/--imap-idle-sessions/);
  });

  it('reads --cpu-prof', () => {
    expect(parseBenchOptions([]).cpuProfileDir).toBeUndefined();
    expect(parseBenchOptions(['--cpu-prof', 'profiles']).cpuProfileDir).toBe('profiles');
  });

  it('names the bad option', () => {
    expect(() => parseBenchOptions(['--scenarios', 'inbound,warp'])).toThrow(/warp/);
    expect(() => parseBenchOptions(['--messages', '-3'])).toThrow(BenchOptionError);
    expect(() => parseBenchOptions(['--frobnicate'])).toThrow(/--frobnicate/);
    expect(() => parseBenchOptions(['--load-generator', 'nope'])).toThrow(/load-generator/);
  });
});
