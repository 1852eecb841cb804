import type { SearchKey } from '@mail/contracts';
import { SEARCH_MAX_DEPTH } from '@mail/contracts';
import { describe, expect, it } from 'vitest';
import { containsPattern, escapedNeedle, regexLiteral, SearchQuery } from './search-query';

describe('search query', () => {
  it('encodes a needle as PostgreSQL escape-encodes bytea, ASCII lower-cased', () => {
    expect(escapedNeedle('Crêpes')).toBe('cr\\303\\252pes');
    expect(escapedNeedle('a\\B\0')).toBe('a\\\\b\\000');
  });

  it('escapes every metacharacter of an advanced regular expression', () => {
    expect(regexLiteral('a.b*c\\(d)[e]{f}|^$?+')).toBe('a\\.b\\*c\\\\\\(d\\)\\[e\\]\\{f\\}\\|\\^\\$\\?\\+');
  });

  it('numbers its parameters after the ones before it and makes leaves never NULL', () => {
    const query = new SearchQuery({ and: [{ size: 'larger', octets: 10 }, { not: { header: 'Subject', contains: 'x' } }] }, 2);
    expect(query.parameters).toEqual([10, 'x']);
    expect(query.condition).toBe('(coalesce(e.size > $2, false) AND (NOT coalesce(strpos(lower(m.subject), lower($3)) > 0, false)))');
  });

  it('folds a TEXT/BODY string as the search text is folded and escapes LIKE metacharacters', () => {
    expect(containsPattern('CRÊPES\r\n  du Maître')).toBe('%crêpes du maître%');
    expect(containsPattern('100%_a\\b')).toBe('%100\\%\\_a\\\\b%');
    expect(containsPattern('')).toBe('%%');
  });

  it('looks for TEXT in the indexed header and body, BODY in the body, raw while a message is pending', () => {
    const query = new SearchQuery(
      {
        or: [
          { text: 'text', contains: 'Quokka' },
          { text: 'body', contains: 'x' },
        ],
      },
      2,
    );
    expect(query.searchesText).toBe(true);
    expect(query.parameters.slice(0, 2)).toEqual(['%quokka%', 'quokka']);
    expect(query.condition).toContain('CASE WHEN t.indexed_at IS NULL THEN strpos(');
    expect(query.condition).toContain('ELSE (t.header_text LIKE $2 OR t.body_text LIKE $2) END');
    expect(query.condition).toContain('ELSE t.body_text LIKE $4 END');
    expect(new SearchQuery({ header: 'subject', contains: 'x' }, 1).searchesText).toBe(false);
  });

  it('states the TEXT/BODY keys every match satisfies in an index-friendly form too, when the string has a trigram', () => {
    const narrowed = new SearchQuery({ and: [{ text: 'body', contains: 'Quokka' }, { and: [{ text: 'text', contains: 'éé x' }, { not: { text: 'body', contains: 'zebra' } }] }] }, 1);
    expect(narrowed.condition.endsWith(') AND (t.indexed_at IS NULL OR t.body_text LIKE $1)')).toBe(true);
    expect(narrowed.condition.match(/t\.indexed_at IS NULL OR/g)).toHaveLength(1);
    const alone = new SearchQuery({ text: 'text', contains: 'quokka' }, 1);
    expect(alone.condition.endsWith(' AND (t.indexed_at IS NULL OR (t.header_text LIKE $1 OR t.body_text LIKE $1))')).toBe(true);
    expect(new SearchQuery({ or: [{ text: 'body', contains: 'quokka' }, { all: true }] }, 1).condition).not.toContain('t.indexed_at IS NULL OR');
  });

  it('refuses a query nested deeper than the IMAP parser allows', () => {
    let key: SearchKey = { all: true };
    for (let i = 0; i <= SEARCH_MAX_DEPTH; i++) key = { not: key };
    expect(() => new SearchQuery(key, 1)).toThrow(expect.objectContaining({ code: 'invalid-search' }));
  });
});
