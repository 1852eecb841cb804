// Tests of content-policy.ts: which content is refused with which reply.
import { describe, expect, it } from 'vitest';
import { contentRejection } from './content-policy';

const ok = { size: 10, maxSize: 100, bareLineEndings: false, longLines: false };

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

  it('refuses bare CR/LF with 550 5.6.11 and long lines with 550 5.6.0', () => {
    expect(contentRejection({ ...ok, bareLineEndings: true })?.error.message).toMatch(/^550 5\.6\.11 /);
    expect(contentRejection({ ...ok, longLines: true })?.error.message).toMatch(/^550 5\.6\.0 /);
  });
});
