import { describe, it, expect } from 'vitest';
import { ReplyParser, SmtpProtocolError } from './reply-parser';
import { formatReply } from './reply';
import { LineReader } from './line-reader';

function parseAll(wire: string): unknown[] {
  const reader = new LineReader();
  const parser = new ReplyParser();
  reader.push(Buffer.from(wire));
  const replies: unknown[] = [];
  for (let ev = reader.next(); ev; ev = reader.next()) {
    if (ev.kind !== 'line') throw new Error('too long');
    const r = parser.push(ev.text);
    if (r) replies.push(r);
  }
  return replies;
}

describe('ReplyParser (RFC 5321 §4.2.1)', () => {
  it('parses single and multi-line replies', () => {
    expect(parseAll('220 mx.example.test ESMTP\r\n250-mx.example.test\r\n250-PIPELINING\r\n250 SIZE 100\r\n')).toEqual([
      { code: 220, lines: ['mx.example.test ESMTP'] },
      { code: 250, lines: ['mx.example.test', 'PIPELINING', 'SIZE 100'] },
    ]);
  });

  it('extracts the enhanced status code from every line (RFC 2034 §4)', () => {
    expect(parseAll('550-5.7.1 Rejected\r\n550 5.7.1 policy\r\n')).toEqual([{ code: 550, enhanced: '5.7.1', lines: ['Rejected', 'policy'] }]);
    expect(parseAll('250 2.1.5\r\n')).toEqual([{ code: 250, enhanced: '2.1.5', lines: [''] }]);
  });

  it('ignores an enhanced code of the wrong class and in 3xx replies', () => {
    expect(parseAll('250 5.1.1 odd\r\n')).toEqual([{ code: 250, lines: ['5.1.1 odd'] }]);
    expect(parseAll('354 2.0.0 go ahead\r\n')).toEqual([{ code: 354, lines: ['2.0.0 go ahead'] }]);
  });

  it('accepts a bare code and an empty continuation', () => {
    expect(parseAll('250-\r\n250\r\n')).toEqual([{ code: 250, lines: ['', ''] }]);
  });

  it('reads back what formatReply writes', () => {
    const wire = formatReply(452, '5.3', ['Too many recipients', 'try again']);
    expect(parseAll(wire)).toEqual([{ code: 452, enhanced: '4.5.3', lines: ['Too many recipients', 'try again'] }]);
  });

  it('rejects malformed lines and mixed codes', () => {
    expect(() => new ReplyParser().push('hello')).toThrow(SmtpProtocolError);
    expect(() => new ReplyParser().push('2500 x')).toThrow(SmtpProtocolError);
    expect(() => new ReplyParser().push('600 x')).toThrow(SmtpProtocolError);
    const p = new ReplyParser();
    p.push('250-a');
    expect(p.inProgress).toBe(true);
    expect(() => p.push('251 b')).toThrow(/changed from 250 to 251/);
  });

  it('limits the number of lines', () => {
    const p = new ReplyParser({ maxLines: 3 });
    p.push('250-a');
    p.push('250-b');
    p.push('250-c');
    expect(() => p.push('250-d')).toThrow(/longer than 3 lines/);
  });
});
