// Tests of vrfy.ts: VRFY without disclosure, and HELP.
import { describe, expect, it } from 'vitest';
import { converse, createHarness } from '../../test-support/command-harness';

describe('VRFY and HELP', () => {
  it('VRFY answers 252 2.5.0 alike for known and unknown users (no disclosure)', async () => {
    const h = createHarness();
    const known = await converse(h, 'VRFY bob@example.test\r\n');
    expect(known).toBe('252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery\r\n');
    expect(await converse(h, 'VRFY nobody@example.test\r\n')).toBe(known);
  });

  it('HELP answers 214', async () => {
    expect(await converse(createHarness(), 'HELP\r\n')).toMatch(/^214-2\.0\.0 Commands: .*\r\n214 2\.0\.0 See RFC 5321/);
  });
});
