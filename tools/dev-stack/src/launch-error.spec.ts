import { describe, expect, it } from 'vitest';
import { errorText } from './launch-error';

describe('errorText', () => {
  it('prefers the message', () => {
    expect(errorText(new Error('boom'))).toBe('boom');
  });

  it('falls back to the code of an AggregateError without message', () => {
    const error = Object.assign(new AggregateError([new Error('connect ECONNREFUSED ::1:5432')], ''), { code: 'ECONNREFUSED' });
    expect(errorText(error)).toBe('ECONNREFUSED');
    expect(errorText(new AggregateError([new Error('inner')], ''))).toBe('inner');
  });

  it('adds the cause', () => {
    expect(errorText(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9105') }))).toBe('fetch failed (connect ECONNREFUSED 127.0.0.1:9105)');
  });

  it('stringifies what is not an Error', () => {
    expect(errorText('plain')).toBe('plain');
  });
});
