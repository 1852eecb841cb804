// Tests of quit.ts: QUIT ends the session.
import { describe, expect, it } from 'vitest';
import { converse, createHarness } from '../../test-support/command-harness';

describe('QUIT', () => {
  it('answers 221 2.0.0 and ends the session: nothing after it runs', async () => {
    const h = createHarness();
    expect(await converse(h, 'QUIT\r\nNOOP\r\n')).toBe('221 2.0.0 mx.example.test closing connection\r\n');
  });
});
