import { describe, expect, it } from 'vitest';
import { hyperscanReady } from './rspamd-instance';

// Lines from rspamd 3.4's log, start-ups with a cold and a warm Hyperscan cache.
const helperCompiled = (n: number) =>
  `2026-12-06 03:06:42 #7845(hs_helper) rspamd_rs_compile_cb: compiled ${n} regular expressions to the hyperscan tree, postpone loaded notification for 1 seconds to avoid races\n`;
const proxyReady = '2026-12-06 03:06:43 #7842(rspamd_proxy) rspamd_worker_hyperscan_ready: loading hyperscan expressions after receiving compilation notice: new db\n';
const normalReady = '2026-12-06 03:06:43 #7844(normal) rspamd_worker_hyperscan_ready: loading hyperscan expressions after receiving compilation notice: new db\n';

describe('hyperscanReady', () => {
  it('waits for the helper to report', () => {
    expect(hyperscanReady('2026-12-06 03:06:37 #7845(hs_helper) rspamd_handle_child_fork: starting hs_helper process 7845 (0); no listen\n')).toBe(false);
  });

  it('is ready at once when nothing needed compiling (the databases came from the cache)', () => {
    expect(hyperscanReady(helperCompiled(0))).toBe(true);
  });

  it('after a compilation, waits until the proxy worker has loaded the new databases', () => {
    expect(hyperscanReady(helperCompiled(172))).toBe(false);
    expect(hyperscanReady(helperCompiled(172) + normalReady)).toBe(false);
    expect(hyperscanReady(helperCompiled(172) + normalReady + proxyReady)).toBe(true);
  });
});
