import { describe, expect, it } from 'vitest';
import { parseOptions } from './cli';

describe('parseOptions', () => {
  it('defaults to the whole stack', () => {
    expect(parseOptions([])).toEqual({ infraOnly: false, help: false });
  });

  it('reads --infra-only and -h', () => {
    expect(parseOptions(['--infra-only', '-h'])).toEqual({ infraOnly: true, help: true });
  });

  it('rejects unknown options', () => {
    expect(() => parseOptions(['--verbose'])).toThrow(/--verbose/);
  });
});
