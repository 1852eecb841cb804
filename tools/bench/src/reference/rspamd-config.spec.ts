import { describe, expect, it } from 'vitest';
import { rspamdLocalConfig } from './rspamd-config';

const files = rspamdLocalConfig({ milter: 21432, normal: 21433, controller: 21434, dns: '127.0.0.1:21453', redis: 21479, hyperscanCache: '/var/tmp/hs', scanners: 2 });

describe('rspamdLocalConfig', () => {
  it('points rspamd at the bench’s DNS server and its private Redis, and binds loopback only', () => {
    expect(files['override.d/options.inc']).toContain('nameserver = ["127.0.0.1:21453"]');
    expect(files['local.d/redis.conf']).toBe('servers = "127.0.0.1:21479";\n');
    expect(files['override.d/worker-proxy.inc']).toMatch(/bind_socket = "127\.0\.0\.1:21432";\nmilter = yes;/);
    expect(files['override.d/worker-proxy.inc']).toContain('count = 2;');
  });

  it('names no remote map or service: every map is one of Debian’s local copies', () => {
    for (const [path, text] of Object.entries(files)) expect(`${path}: ${text}`).not.toMatch(/https?:\/\/|rspamd\.com/);
    expect(files['local.d/fuzzy_check.conf']).toBe('enabled = false;\n');
    expect(files['override.d/options.inc']).toContain('filters = "chartable,dkim,regexp";');
  });

  it('checks only the bench’s DNSBL zone, loopback clients included', () => {
    expect(files['override.d/rbl.conf']).toContain('rbl = "dnsbl.bench.test";');
    expect(files['override.d/rbl.conf']).toContain('exclude_local = false;');
    expect(files['override.d/options.inc']).toContain('check_local = true;');
  });
});
