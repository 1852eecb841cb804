// Tests of mailbox-name.ts (RFC 3501 §5.1.3, RFC 9051 §5.1, §6.3.9).
import { describe, expect, it } from 'vitest';
import { decodeMailboxName, decodeModifiedUtf7, encodeMailboxName, encodeModifiedUtf7, listPatternMatcher, normalizeInbox } from './mailbox-name';

describe('mailbox names', () => {
  it('encode and decode modified UTF-7 as RFC 3501 §5.1.3 shows', () => {
    expect(encodeModifiedUtf7('~peter/mail/台北/日本語')).toBe('~peter/mail/&U,BTFw-/&ZeVnLIqe-');
    expect(decodeModifiedUtf7('~peter/mail/&U,BTFw-/&ZeVnLIqe-')).toBe('~peter/mail/台北/日本語');
    expect(encodeModifiedUtf7('Tom & Jerry')).toBe('Tom &- Jerry');
    expect(decodeModifiedUtf7('Tom &- Jerry')).toBe('Tom & Jerry');
    expect(encodeModifiedUtf7('😀')).toBe('&2D3eAA-');
  });

  it('refuse malformed modified UTF-7', () => {
    for (const bad of ['&', '&U,BTFw', '&AGE-', '&U/BTFw-', 'a\u00e9', '&2D0-']) expect(() => decodeModifiedUtf7(bad)).toThrow('not valid modified UTF-7');
  });

  it('normalize INBOX in any case, and as the prefix of its children (RFC 9051 §5.1)', () => {
    expect(normalizeInbox('inBox')).toBe('INBOX');
    expect(normalizeInbox('inbox/Sub', '/')).toBe('INBOX/Sub');
    expect(normalizeInbox('inboxes', '/')).toBe('inboxes');
    expect(decodeMailboxName('Inbox', { utf8: true })).toBe('INBOX');
    expect(encodeMailboxName('Entwürfe', { utf8: false })).toBe('Entw&APw-rfe');
    expect(encodeMailboxName('Entwürfe', { utf8: true })).toBe('Entwürfe');
  });

  it('match LIST patterns: * crosses the delimiter, % does not (RFC 9051 §6.3.9)', () => {
    const names = ['INBOX', 'Sent', 'Archive', 'Archive/2023', 'Archive/2023/Q1'];
    expect(names.filter(listPatternMatcher('', '*', '/'))).toEqual(names);
    expect(names.filter(listPatternMatcher('', '%', '/'))).toEqual(['INBOX', 'Sent', 'Archive']);
    expect(names.filter(listPatternMatcher('Archive/', '%', '/'))).toEqual(['Archive/2023']);
    expect(names.filter(listPatternMatcher('', 'inbox', '/'))).toEqual(['INBOX']);
  });

  it('match hostile patterns in polynomial time', () => {
    const started = Date.now();
    expect(listPatternMatcher('', `${'*a'.repeat(200)}b`, '/')('a'.repeat(1000))).toBe(false);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
