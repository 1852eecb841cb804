// Tests of content-policy.ts: which content is refused with which reply.
import { describe, expect, it } from 'vitest';
import { contentRejection } from './content-policy';

const ok = { size: 10, maxSize: 100, bareLineEndings: false, longestLine: 50, maxLineLength: 2000 };

describe('contentRejection', () => {
  it('accepts clean data within the size limit', () => {
    expect(contentRejection(ok)).toBeUndefined();
    expect(contentRejection({ ...ok, size: 100 })).toBeUndefined();
  });

  it('refuses oversize data with 552 5.3.4 first', () => {
    const rejection = contentRejection({ ...ok, size: 101, bareLineEndings: true });
    expect(rejection?.reason).toBe('too-big');
    expect(rejection?.error.message).toMatch(/^552 5\.3\.4 /);
  });

  it('refuses bare CR/LF with 550 5.6.11 and lines over the bound with 550 5.6.0, naming both lengths', () => {
    expect(contentRejection({ ...ok, bareLineEndings: true })?.error.message).toMatch(/^550 5\.6\.11 /);
    const rejection = contentRejection({ ...ok, longestLine: 2001 });
    expect(rejection?.reason).toBe('long-line');
    expect(rejection?.error.message).toMatch(/^550 5\.6\.0 .*a line of 2001 octets.*at most 2000/);
  });

  it('keeps lines over the 1000 octets of RFC 5321 §4.5.3.1.6 up to the bound, as Postfix does', () => {
    expect(contentRejection({ ...ok, longestLine: 1001 })).toBeUndefined();
    expect(contentRejection({ ...ok, longestLine: 2000 })).toBeUndefined();
  });
});
