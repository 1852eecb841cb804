// Tests of encoded-words.ts: RFC 2047 B and Q words, the white space between
// adjacent words, characters split across words, RFC 2231 extended values,
// and what is left as written.
import { describe, expect, it } from 'vitest';
import { decodeEncodedWords, decodeExtendedValue, parameterText } from './encoded-words';

describe('decodeEncodedWords', () => {
  it('decodes B and Q words in their charsets (RFC 2047 §4)', () => {
    expect(decodeEncodedWords('=?UTF-8?B?Q3LDqnBlcw==?=')).toBe('Crêpes');
    expect(decodeEncodedWords('=?iso-8859-1?q?caf=E9_cr=E8me?=')).toBe('café crème');
    expect(decodeEncodedWords('=?KOI8-R?B?8NLJ18XU?=')).toBe('Привет');
  });

  it('ignores white space between adjacent words, keeps it around text (RFC 2047 §6.2)', () => {
    expect(decodeEncodedWords('=?UTF-8?Q?a?= =?UTF-8?Q?b?=\r\n =?UTF-8?Q?c?=')).toBe('abc');
    expect(decodeEncodedWords('Re: =?UTF-8?Q?caf=C3=A9?= du jour')).toBe('Re: café du jour');
    expect(decodeEncodedWords('=?UTF-8?Q?a?= and =?UTF-8?Q?b?=')).toBe('a and b');
  });

  it('joins the octets of a character split across two words of one charset', () => {
    expect(decodeEncodedWords('=?UTF-8?B?4oI=?= =?UTF-8?B?rA==?=')).toBe('€');
    expect(decodeEncodedWords('=?UTF-8?Q?caf=C3?= =?ISO-8859-1?Q?=E9?=')).toBe('caf\uFFFDé');
  });

  it('reads a language suffix (RFC 2231 §5) and words inside quotes, and leaves the rest as written', () => {
    expect(decodeEncodedWords('=?UTF-8*fr?Q?=C3=A9t=C3=A9?=')).toBe('été');
    expect(decodeEncodedWords('"=?UTF-8?Q?J=C3=B6rg?=" <j@example.test>')).toBe('"Jörg" <j@example.test>');
    expect(decodeEncodedWords('=?UTF-8?X?abc?= =?broken')).toBe('=?UTF-8?X?abc?= =?broken');
    expect(decodeEncodedWords('=?no-such-charset?Q?plain?=')).toBe('plain');
  });
});

describe('RFC 2231 values', () => {
  it('decodes charset and percent-encoded octets (RFC 2231 §4)', () => {
    expect(decodeExtendedValue("utf-8''%E2%82%ACrate.bin")).toBe('€rate.bin');
    expect(decodeExtendedValue("iso-8859-1'fr'r%E9sum%E9.pdf")).toBe('résumé.pdf');
  });

  it('prefers the extended parameter, else decodes encoded words in the plain one', () => {
    expect(
      parameterText(
        [
          ['filename', 'plain.txt'],
          ['filename*', "utf-8''%C3%A9.txt"],
        ],
        'filename',
      ),
    ).toBe('é.txt');
    expect(parameterText([['name', '=?UTF-8?B?w6kudHh0?=']], 'name')).toBe('é.txt');
    expect(parameterText([['charset', 'utf-8']], 'name')).toBeUndefined();
  });
});
