// Tests of folder-name.ts: names no folder can have, and the special use CREATE may give.
import { describe, expect, it } from 'vitest';
import { ImapResponseError } from '@mail/imap';
import { existingFolderName, newFolderName, specialUseOf } from './folder-name';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ImapResponseError) return error.message;
    throw error;
  }
  throw new Error('not refused');
}

describe('existingFolderName', () => {
  it('passes names a folder can have', () => {
    expect(existingFolderName('INBOX')).toBe('INBOX');
    expect(existingFolderName('Work/2024/Q1')).toBe('Work/2024/Q1');
    expect(existingFolderName('Entwürfe')).toBe('Entwürfe');
  });

  it('refuses names no folder can have as NONEXISTENT, or CANNOT where the name need not exist', () => {
    expect(refusal(() => existingFolderName('a//b'))).toBe('NO [NONEXISTENT] No such mailbox');
    expect(refusal(() => existingFolderName('/a'))).toBe('NO [NONEXISTENT] No such mailbox');
    expect(refusal(() => existingFolderName('a*'))).toBe('NO [NONEXISTENT] No such mailbox');
    expect(refusal(() => existingFolderName('tab\there', 'CANNOT'))).toBe('NO [CANNOT] Not a valid mailbox name');
  });
});

describe('newFolderName', () => {
  it('lets a trailing delimiter through (mailbox-store drops it) and refuses names past the contract', () => {
    expect(newFolderName('Projects/')).toBe('Projects/');
    expect(refusal(() => newFolderName('x'.repeat(502)))).toBe('NO [CANNOT] Not a valid mailbox name');
  });
});

describe('specialUseOf', () => {
  it('gives no special use without USE, and the one asked for', () => {
    expect(specialUseOf([])).toBeUndefined();
    expect(specialUseOf(['\\Sent'])).toBe('\\Sent');
    expect(specialUseOf(['\\Trash'])).toBe('\\Trash');
  });

  it('refuses virtual mailboxes and several uses with USEATTR (RFC 6154 §3)', () => {
    expect(refusal(() => specialUseOf(['\\All']))).toBe('NO [USEATTR] \\All is a virtual mailbox this server does not keep');
    expect(refusal(() => specialUseOf(['\\Flagged']))).toMatch(/^NO \[USEATTR\] /);
    expect(refusal(() => specialUseOf(['\\Sent', '\\Archive']))).toBe('NO [USEATTR] A mailbox has one special use here');
  });
});
