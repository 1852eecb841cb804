// Tests of folder-name.ts: names no folder can have, and the special use CREATE may give.
import { describe, expect, it } from 'vitest';
import { ImapResponseError } from '@mail/imap';
import { existingFolderName, folderNameProblem, newFolderName, specialUseOf } from './folder-name';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ImapResponseError) return error.message;
    throw error;
  }
  throw new Error('not refused');
}

describe('folderNameProblem', () => {
  it('names the rule of the contract a name breaks, or none', () => {
    expect(folderNameProblem('Work/2024')).toBeUndefined();
    expect(folderNameProblem('')).toBe('a folder name is not empty');
    expect(folderNameProblem('x'.repeat(501))).toBe('a folder name has at most 500 characters');
    expect(folderNameProblem('a//b')).toBe('a folder name has no empty level (`//` or a leading `/`)');
    expect(folderNameProblem('bell\x07')).toBe('a folder name has no control characters and no wildcard (* %)');
  });
});

describe('existingFolderName', () => {
  it('passes names a folder can have', () => {
    expect(existingFolderName('INBOX')).toBe('INBOX');
    expect(existingFolderName('Work/2024/Q1')).toBe('Work/2024/Q1');
    expect(existingFolderName('Entwürfe')).toBe('Entwürfe');
    expect(existingFolderName('x'.repeat(500))).toBe('x'.repeat(500));
  });

  it('refuses names no folder can have as NONEXISTENT, or CANNOT where the name need not exist, saying why', () => {
    expect(refusal(() => existingFolderName('a//b'))).toBe('NO [NONEXISTENT] No mailbox can have this name: a folder name has no empty level (`//` or a leading `/`)');
    expect(refusal(() => existingFolderName('/a'))).toBe('NO [NONEXISTENT] No mailbox can have this name: a folder name has no empty level (`//` or a leading `/`)');
    expect(refusal(() => existingFolderName('a*'))).toBe('NO [NONEXISTENT] No mailbox can have this name: a folder name has no control characters and no wildcard (* %)');
    expect(refusal(() => existingFolderName(''))).toBe('NO [NONEXISTENT] No mailbox can have this name: a folder name is not empty');
    expect(refusal(() => existingFolderName('x'.repeat(501)))).toBe('NO [NONEXISTENT] No mailbox can have this name: a folder name has at most 500 characters');
    expect(refusal(() => existingFolderName('tab\there', 'CANNOT'))).toBe('NO [CANNOT] No mailbox can have this name: a folder name has no control characters and no wildcard (* %)');
  });

  it('never echoes the name: the text stays 7-bit and on one line', () => {
    const text = refusal(() => existingFolderName('Entwürfe\r\n* BYE'));
    expect(text).not.toContain('Entwürfe');
    expect(text).not.toMatch(/[\r\n]/);
  });
});

describe('newFolderName', () => {
  it('lets a trailing delimiter through (mailbox-store drops it) and refuses what the rule refuses, saying why', () => {
    expect(newFolderName('Projects/')).toBe('Projects/');
    expect(newFolderName(`${'x'.repeat(500)}/`)).toBe(`${'x'.repeat(500)}/`);
    expect(refusal(() => newFolderName('x'.repeat(501)))).toBe('NO [CANNOT] No mailbox can have this name: a folder name has at most 500 characters');
    expect(refusal(() => newFolderName('a//b'))).toBe('NO [CANNOT] No mailbox can have this name: a folder name has no empty level (`//` or a leading `/`)');
    expect(refusal(() => newFolderName('/'))).toBe('NO [CANNOT] No mailbox can have this name: a folder name is not empty');
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
