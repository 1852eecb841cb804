// Tests of helo.ts: plain SMTP greeting without extensions.
import { describe, expect, it } from 'vitest';
import { converse, createHarness } from '../../test-support/command-harness';

describe('HELO', () => {
  it('greets without extensions or enhanced code and allows no ESMTP parameters', async () => {
    const h = createHarness();
    expect(await converse(h, 'HELO crepes.fr\r\n')).toBe('250 mx.example.test Hello crepes.fr\r\n');
    expect(h.ctx.state.helo).toEqual({ name: 'crepes.fr', extended: false });
    expect(await converse(h, 'MAIL FROM:<alice@crepes.fr> SIZE=10\r\n')).toMatch(/^555 5\.5\.4 /);
  });
});
