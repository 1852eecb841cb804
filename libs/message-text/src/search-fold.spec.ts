// Tests of search-fold.ts: the one form stored text and SEARCH strings share.
import { describe, expect, it } from 'vitest';
import { foldSearchString, foldSearchUnit } from './search-fold';

describe('foldSearchString', () => {
  it('lower-cases beyond ASCII and normalizes compatibility forms (NFKC)', () => {
    expect(foldSearchString('CRÊPES ΣΟΦΊΑ')).toBe('crêpes σοφία');
    expect(foldSearchString('CRE\u0301ME')).toBe('cr\u00e9me');
    expect(foldSearchString('ﬁle ＡＢＣ')).toBe('file abc');
  });

  it('collapses white space and NUL to one space; a unit is also trimmed', () => {
    expect(foldSearchString(' two\r\n\t words\0')).toBe(' two words ');
    expect(foldSearchUnit(' two\r\n\t words\0')).toBe('two words');
  });
});
