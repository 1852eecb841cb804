import { describe, expect, it } from 'vitest';
import { defaultOptions, parseOptions, UsageError } from './options';

describe('parseOptions', () => {
  it('defaults to 3,000 messages over 10 clients', () => {
    expect(parseOptions([])).toEqual(defaultOptions);
    expect(defaultOptions).toMatchObject({ messages: 3000, clients: 10 });
  });

  it('reads separate and inline values', () => {
    expect(parseOptions(['--messages', '300', '--clients=4', '--down', '500'])).toMatchObject({ messages: 300, clients: 4, downMs: 500 });
  });

  it('refuses unknown flags and values that are not positive whole numbers', () => {
    expect(() => parseOptions(['--mesages', '3'])).toThrow(UsageError);
    expect(() => parseOptions(['--messages', '0'])).toThrow(/positive whole number/);
    expect(() => parseOptions(['--clients'])).toThrow(UsageError);
  });
});
