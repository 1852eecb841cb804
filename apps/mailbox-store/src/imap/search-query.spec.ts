import type { SearchKey } from '@mail/contracts';
import { SEARCH_MAX_DEPTH } from '@mail/contracts';
import { describe, expect, it } from 'vitest';
import { escapedNeedle, regexLiteral, SearchQuery } from './search-query';

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

  it('refuses a query nested deeper than the IMAP parser allows', () => {
    let key: SearchKey = { all: true };
    for (let i = 0; i <= SEARCH_MAX_DEPTH; i++) key = { not: key };
    expect(() => new SearchQuery(key, 1)).toThrow(expect.objectContaining({ code: 'invalid-search' }));
  });
});
