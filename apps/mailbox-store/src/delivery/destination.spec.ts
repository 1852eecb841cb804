/** Unit tests of destination.ts: local mailboxes, addresses left to resolve, and the folder chosen by the verdict. */
import { describe, expect, it } from 'vitest';
import { destinationOf, folderFor } from './destination';

const verdict = { action: 'deliver' as const, score: 0, reasons: [], headers: [], checkedAt: '2026-11-21T10:00:00.000Z' };
const envelope = {
  mailFrom: 'alice@crepes.fr',
  smtputf8: false,
  bodyType: '7BIT' as const,
  recipients: [
    { address: 'Bob@Example.test', route: 'local' as const, mailbox: 'Bob@Example.test' },
    { address: 'robert@example.test', route: 'local' as const, mailbox: 'bob@example.test' },
    { address: 'carol@example.test', route: 'local' as const },
    { address: 'dave@remote.test', route: 'remote' as const },
    { address: 'weird@example.test', route: 'local' as const, mailbox: 'no-at-sign@' },
    { address: 'team@example.test', route: 'local' as const, mailbox: 'ignored@example.test', mailboxes: ['erin@example.test', 'Bob@example.test'] },
  ],
};

describe('destinationOf', () => {
  it('keeps local recipients by mailbox, normalized and deduplicated; `mailboxes` wins over `mailbox`', () => {
    const destination = destinationOf({ envelope, verdict });
    expect(destination).toMatchObject({
      mailboxes: ['bob@example.test', 'erin@example.test'],
      unresolved: ['carol@example.test'],
      invalid: ['no-at-sign@'],
      folder: 'INBOX',
    });
    expect(Object.fromEntries(destination.addressedAs)).toEqual({
      'bob@example.test': ['robert@example.test', 'team@example.test'],
      'erin@example.test': ['team@example.test'],
    });
  });
});

describe('folderFor', () => {
  it('files junk, and a late reject, into Junk', () => {
    expect(folderFor('deliver')).toBe('INBOX');
    expect(folderFor('junk')).toBe('Junk');
    expect(folderFor('reject')).toBe('Junk');
  });
});
