// Tests of header-fields.ts: unfolding, encodings of field bodies, lines that are no field.
import { describe, expect, it } from 'vitest';
import { headerFields } from './header-fields';

describe('headerFields', () => {
  it('unfolds folded lines (RFC 5322 §2.2.3) and decodes encoded words and UTF-8 (RFC 6532)', () => {
    const section = Buffer.from('Subject: =?UTF-8?Q?caf=C3=A9?=\r\n and more\r\nX-Name: Zoë\r\nnot a field\r\nTo:\tbob\n\r\nBody: not a header\r\n', 'utf8');
    expect(headerFields(section)).toEqual([
      { name: 'Subject', value: 'café and more' },
      { name: 'X-Name', value: 'Zoë' },
      { name: 'To', value: 'bob' },
    ]);
  });

  it('reads 8-bit octets that are not UTF-8 as windows-1252', () => {
    expect(headerFields(Buffer.from('Subject: d\xe9j\xe0 vu\r\n', 'latin1'))).toEqual([{ name: 'Subject', value: 'déjà vu' }]);
  });
});
