// Tests of rset.ts: RSET and NOOP.
import { describe, expect, it } from 'vitest';
import { converse, createHarness } from '../../test-support/command-harness';

describe('RSET and NOOP', () => {
  it('RSET drops the transaction but keeps HELO', async () => {
    const h = createHarness();
    expect(await converse(h, 'EHLO c.test\r\nMAIL FROM:<a@b.test>\r\nRSET\r\n')).toMatch(/250 2\.0\.0 Ok\r\n$/);
    expect(h.ctx.state.transaction).toBeUndefined();
    expect(h.ctx.state.helo?.name).toBe('c.test');
    expect(await converse(h, 'NOOP whatever\r\n')).toBe('250 2.0.0 Ok\r\n');
  });
});
