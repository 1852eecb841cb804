// Tests of mailbox-responses.ts (RFC 9051 §7.2-7.4, RFC 5258, RFC 4731, RFC 7162, RFC 9208, RFC 2971).
import { describe, expect, it } from 'vitest';
import {
  formatCapability,
  formatEnabled,
  formatEsearch,
  formatExists,
  formatExpunge,
  formatFlags,
  formatId,
  formatListEntry,
  formatNamespace,
  formatQuota,
  formatQuotaRoot,
  formatSearch,
  formatStatus,
  formatVanished,
} from './mailbox-responses';

const rev1 = { utf8: false };
const rev2 = { utf8: true };

describe('mailbox responses', () => {
  it('format the simple data responses', () => {
    expect(formatCapability(['IMAP4rev2', 'IMAP4rev1', 'IDLE'])).toBe('* CAPABILITY IMAP4rev2 IMAP4rev1 IDLE\r\n');
    expect(formatEnabled([])).toBe('* ENABLED\r\n');
    expect(formatEnabled(['CONDSTORE'])).toBe('* ENABLED CONDSTORE\r\n');
    expect(formatFlags(['\\Seen', '$Junk'])).toBe('* FLAGS (\\Seen $Junk)\r\n');
    expect(formatExists(172)).toBe('* 172 EXISTS\r\n');
    expect(formatExpunge(3)).toBe('* 3 EXPUNGE\r\n');
    expect(formatVanished([41, 41, 43, 116], true)).toBe('* VANISHED (EARLIER) 41,43:116\r\n');
  });

  it('format LIST entries in the client encoding, with extended data', () => {
    expect(formatListEntry({ attributes: ['\\HasNoChildren', '\\Drafts'], delimiter: '/', name: 'Entwürfe' }, rev1).toString()).toBe('* LIST (\\HasNoChildren \\Drafts) "/" Entw&APw-rfe\r\n');
    expect(formatListEntry({ attributes: [], delimiter: '/', name: 'Entwürfe' }, rev2).toString()).toBe('* LIST () "/" "Entwürfe"\r\n');
    expect(formatListEntry({ attributes: ['\\NonExistent'], delimiter: null, name: 'Foo Bar', childInfo: ['SUBSCRIBED'] }, rev1, 'LIST').toString()).toBe(
      '* LIST (\\NonExistent) NIL "Foo Bar" ("CHILDINFO" ("SUBSCRIBED"))\r\n',
    );
    expect(formatListEntry({ attributes: [], delimiter: '/', name: 'New', oldName: 'Old' }, rev1).toString()).toBe('* LIST () "/" New ("OLDNAME" (Old))\r\n');
  });

  it('format STATUS, SEARCH and ESEARCH', () => {
    expect(formatStatus('INBOX', { MESSAGES: 17, UIDNEXT: 44, HIGHESTMODSEQ: 7n }, rev1).toString()).toBe('* STATUS INBOX (MESSAGES 17 UIDNEXT 44 HIGHESTMODSEQ 7)\r\n');
    expect(formatSearch([2, 3, 9], 917n)).toBe('* SEARCH 2 3 9 (MODSEQ 917)\r\n');
    expect(formatSearch([])).toBe('* SEARCH\r\n');
    expect(formatEsearch({ tag: 'a', uid: true, min: 2, max: 9, all: [2, 4, 9, 9], count: 4 }).toString()).toBe('* ESEARCH (TAG "a") UID MIN 2 MAX 9 ALL 2:4,9 COUNT 4\r\n');
    expect(formatEsearch({ tag: 'a', uid: false, all: [], count: 0 }).toString()).toBe('* ESEARCH (TAG "a") COUNT 0\r\n');
  });

  it('format NAMESPACE, QUOTA, QUOTAROOT and ID', () => {
    expect(formatNamespace([{ prefix: '', delimiter: '/' }], [], [], rev1).toString()).toBe('* NAMESPACE (("" "/")) NIL NIL\r\n');
    expect(formatQuota('', [{ name: 'STORAGE', usage: 10, limit: 512 }], rev1).toString()).toBe('* QUOTA "" (STORAGE 10 512)\r\n');
    expect(formatQuotaRoot('INBOX', [''], rev1).toString()).toBe('* QUOTAROOT INBOX ""\r\n');
    expect(
      formatId(
        [
          ['name', 'mail'],
          ['vendor', null],
        ],
        rev1,
      ).toString(),
    ).toBe('* ID ("name" "mail" "vendor" NIL)\r\n');
    expect(formatId(null, rev1).toString()).toBe('* ID NIL\r\n');
  });
});
