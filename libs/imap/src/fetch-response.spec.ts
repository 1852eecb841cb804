// Tests of fetch-response.ts and fetch-items.ts names (RFC 9051 §7.5.2, RFC 3516, RFC 7162).
import { describe, expect, it } from 'vitest';
import { formatSectionItemName } from './fetch-items';
import { encodeFetchResponse, joinFetchPieces } from './fetch-response';
import { parseDateTime } from './imap-date';

describe('encodeFetchResponse', () => {
  it('encodes the small items in place', () => {
    const pieces = encodeFetchResponse(
      12,
      [
        { kind: 'UID', uid: 4827313 },
        { kind: 'FLAGS', flags: ['\\Seen'] },
        { kind: 'INTERNALDATE', date: parseDateTime('17-Jul-1996 02:44:25 -0700') },
        { kind: 'RFC822.SIZE', size: 4286 },
        { kind: 'MODSEQ', modseq: 12121231000n },
      ],
      { utf8: false },
    );
    expect(joinFetchPieces(pieces).toString()).toBe('* 12 FETCH (UID 4827313 FLAGS (\\Seen) INTERNALDATE "17-Jul-1996 02:44:25 -0700" RFC822.SIZE 4286 MODSEQ (12121231000))\r\n');
  });

  it('leaves a streamed section to the session after its literal prefix', () => {
    const pieces = encodeFetchResponse(
      3,
      [
        { kind: 'UID', uid: 9 },
        { kind: 'section', name: 'BODY[]', content: { kind: 'stream', size: 5000, source: 'blob-9' } },
        { kind: 'section', name: 'BODY[HEADER]', content: { kind: 'bytes', data: Buffer.from('A: b\r\n\r\n') } },
      ],
      { utf8: false },
    );
    expect(pieces.map((p) => (p.kind === 'bytes' ? p.data.toString() : p))).toEqual([
      '* 3 FETCH (UID 9 BODY[] {5000}\r\n',
      { kind: 'stream', size: 5000, source: 'blob-9' },
      ' BODY[HEADER] {8}\r\nA: b\r\n\r\n)\r\n',
    ]);
  });

  it('sends NIL for a missing section and literal8 for binary content (RFC 3516 §4.2)', () => {
    const pieces = encodeFetchResponse<never>(
      1,
      [
        { kind: 'section', name: 'BODY[9]', content: { kind: 'nil' } },
        { kind: 'section', name: 'BINARY[1]', content: { kind: 'bytes', data: Buffer.from([0, 1]) }, binary: true },
        { kind: 'BINARY.SIZE', part: [1], size: 2 },
      ],
      { utf8: false },
    );
    expect(joinFetchPieces(pieces).toString('latin1')).toBe('* 1 FETCH (BODY[9] NIL BINARY[1] ~{2}\r\n\x00\x01 BINARY.SIZE[1] 2)\r\n');
  });

  it('names section items as the response does, without .PEEK and with the origin only', () => {
    expect(
      formatSectionItemName({ kind: 'section', binary: false, peek: true, section: { part: [1, 2], text: 'HEADER.FIELDS', fields: ['From', 'X-A b'] }, partial: { origin: 0, length: 100 } }),
    ).toBe('BODY[1.2.HEADER.FIELDS (From "X-A b")]<0>');
    expect(formatSectionItemName({ kind: 'section', binary: true, peek: true, section: { part: [] } })).toBe('BINARY[]');
  });
});
