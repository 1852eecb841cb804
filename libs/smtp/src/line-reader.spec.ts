import { describe, it, expect } from 'vitest';
import { LineReader } from './line-reader';
import type { LineEvent } from './line-reader';
import { MAX_AUTH_LINE, MAX_COMMAND_LINE } from './command-parser';

function drain(r: LineReader): LineEvent[] {
  const out: LineEvent[] = [];
  for (let ev = r.next(); ev; ev = r.next()) out.push(ev);
  return out;
}

const line = (text: string, bareLf = false): LineEvent => ({ kind: 'line', text, bareLf });

describe('LineReader', () => {
  it('splits CRLF lines, across chunks and byte by byte', () => {
    const input = 'EHLO a.test\r\nMAIL FROM:<x@y.test>\r\n\r\nQUIT\r\n';
    const whole = new LineReader();
    whole.push(Buffer.from(input));
    const expected = [line('EHLO a.test'), line('MAIL FROM:<x@y.test>'), line(''), line('QUIT')];
    expect(drain(whole)).toEqual(expected);
    const bytes = new LineReader();
    const got: LineEvent[] = [];
    for (const b of Buffer.from(input)) {
      bytes.push(Buffer.from([b]));
      got.push(...drain(bytes));
    }
    expect(got).toEqual(expected);
  });

  it('accepts a bare LF as line end in command mode and says so', () => {
    const r = new LineReader();
    r.push(Buffer.from('NOOP\nQUIT\r\n\n'));
    expect(drain(r)).toEqual([line('NOOP', true), line('QUIT'), line('', true)]);
  });

  it('keeps a CR that is not before the LF in the text', () => {
    const r = new LineReader();
    r.push(Buffer.from('NO\rOP\r\r\n'));
    expect(drain(r)).toEqual([line('NO\rOP\r')]);
  });

  it('decodes UTF-8, including a character split across chunks', () => {
    const r = new LineReader();
    const b = Buffer.from('RCPT TO:<ü@example.test>\r\n');
    r.push(b.subarray(0, 10));
    r.push(b.subarray(10));
    expect(drain(r)).toEqual([line('RCPT TO:<ü@example.test>')]);
  });

  it('allows 512 octets including CRLF and reports longer lines (RFC 5321 §4.5.3.1.4)', () => {
    const r = new LineReader();
    const ok = 'x'.repeat(MAX_COMMAND_LINE - 2);
    r.push(Buffer.from(`${ok}\r\n${ok}x\r\nNOOP\r\n`));
    expect(drain(r)).toEqual([line(ok), { kind: 'too-long' }, line('NOOP')]);
  });

  it('drops an endless line without buffering it, then resumes', () => {
    const r = new LineReader();
    const chunk = Buffer.alloc(4096, 0x41);
    for (let i = 0; i < 100; i++) {
      r.push(chunk);
      expect(drain(r)).toEqual([]);
      expect(r.buffered).toBeLessThanOrEqual(4096 + MAX_COMMAND_LINE);
    }
    r.push(Buffer.from('AAA\r\nQUIT\r\n'));
    expect(drain(r)).toEqual([{ kind: 'too-long' }, line('QUIT')]);
  });

  it('answers pipelined lines before an over-long one in order', () => {
    const r = new LineReader();
    r.push(Buffer.from(`NOOP\r\n${'y'.repeat(600)}`));
    expect(r.next()).toEqual(line('NOOP'));
    expect(r.next()).toBeUndefined();
    r.push(Buffer.from('yyy\r\nRSET\r\n'));
    expect(drain(r)).toEqual([{ kind: 'too-long' }, line('RSET')]);
  });

  it('honours a raised limit for AUTH exchanges (RFC 4954 §4)', () => {
    const r = new LineReader();
    r.maxLineLength = MAX_AUTH_LINE;
    const b64 = 'A'.repeat(4000);
    r.push(Buffer.from(`${b64}\r\n`));
    expect(drain(r)).toEqual([line(b64)]);
  });

  it('hands back unread bytes when switching to DATA', () => {
    const r = new LineReader();
    r.push(Buffer.from('DATA\r\nSubject: x\r\n\r\nbody\r\n.\r\n'));
    expect(r.next()).toEqual(line('DATA'));
    expect(r.takeRest().toString()).toBe('Subject: x\r\n\r\nbody\r\n.\r\n');
    expect(r.buffered).toBe(0);
    expect(r.next()).toBeUndefined();
  });

  it('does not treat binary BDAT data as an over-long line when taken in time', () => {
    const r = new LineReader();
    const data = Buffer.alloc(2000, 0x42);
    r.push(Buffer.concat([Buffer.from('BDAT 2000 LAST\r\n'), data]));
    expect(r.next()).toEqual(line('BDAT 2000 LAST'));
    expect(r.takeRest()).toEqual(data);
  });
});
