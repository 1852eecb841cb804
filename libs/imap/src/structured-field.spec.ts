// Tests of structured-field.ts: the lexer shared by ENVELOPE addresses and MIME header fields.
import { describe, expect, it } from 'vitest';
import { lexStructuredField } from './structured-field';

const address = { specials: '<>,:;@', domainLiterals: true };
const mime = { specials: '()<>@,;:\\"/[]?=', domainLiterals: false };

describe('lexStructuredField', () => {
  it('skips whitespace and nested comments, unquotes quoted strings and keeps domain literals whole in addresses', () => {
    expect(lexStructuredField('"Bob \\"B\\" Smith" (a (nested) comment) <bob@[192.0.2.1]>', address)).toEqual([
      { kind: 'quoted', text: 'Bob "B" Smith' },
      { kind: 'special', text: '<' },
      { kind: 'atom', text: 'bob' },
      { kind: 'special', text: '@' },
      { kind: 'literal', text: '[192.0.2.1]' },
      { kind: 'special', text: '>' },
    ]);
  });

  it('reads RFC 2045 tspecials one by one in MIME fields, brackets included', () => {
    expect(lexStructuredField('text/plain; charset="utf-8" [x]', mime).map((t) => `${t.kind}:${t.text}`)).toEqual([
      'atom:text',
      'special:/',
      'atom:plain',
      'special:;',
      'atom:charset',
      'special:=',
      'quoted:utf-8',
      'special:[',
      'atom:x',
      'special:]',
    ]);
  });

  it('ends at an unclosed comment, quote or literal without reading past the value', () => {
    expect(lexStructuredField('a (unclosed', address)).toEqual([{ kind: 'atom', text: 'a' }]);
    expect(lexStructuredField('"unclosed', address)).toEqual([{ kind: 'quoted', text: 'unclosed' }]);
    expect(lexStructuredField('x@[unclosed', address)).toEqual([
      { kind: 'atom', text: 'x' },
      { kind: 'special', text: '@' },
      { kind: 'literal', text: '[unclosed' },
    ]);
  });
});
