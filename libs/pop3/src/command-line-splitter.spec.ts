// Tests of command-line-splitter.ts: pipelined lines, lines split across
// chunks, line ends, and the 255-octet limit with resynchronization.

import { describe, expect, it } from 'vitest';
import { CommandLineSplitter, type Pop3InputLine } from './command-line-splitter';

const chunk = (text: string): Buffer => Buffer.from(text, 'utf8');
const line = (text: string): Pop3InputLine => ({ kind: 'line', text });

describe('CommandLineSplitter', () => {
  it('splits pipelined commands in order (RFC 2449 §6.6)', () => {
    const splitter = new CommandLineSplitter();
    expect(splitter.push(chunk('USER a\r\nPASS b c\r\nSTAT\r\n'))).toEqual([line('USER a'), line('PASS b c'), line('STAT')]);
  });

  it('joins a line split across chunks, including between CR and LF', () => {
    const splitter = new CommandLineSplitter();
    expect(splitter.push(chunk('RE'))).toEqual([]);
    expect(splitter.bufferedOctets).toBe(2);
    expect(splitter.push(chunk('TR 1\r'))).toEqual([]);
    expect(splitter.push(chunk('\nQU'))).toEqual([line('RETR 1')]);
    expect(splitter.push(chunk('IT\n'))).toEqual([line('QUIT')]);
    expect(splitter.bufferedOctets).toBe(0);
  });

  it('accepts bare LF and empty lines', () => {
    expect(new CommandLineSplitter().push(chunk('NOOP\n\r\n'))).toEqual([line('NOOP'), line('')]);
  });

  it('decodes UTF-8 split inside a character', () => {
    const bytes = chunk('PASS é\r\n');
    const splitter = new CommandLineSplitter();
    expect(splitter.push(bytes.subarray(0, 6))).toEqual([]);
    expect(splitter.push(bytes.subarray(6))).toEqual([line('PASS é')]);
  });

  it('accepts 255 octets including CRLF and reports 256 as too long', () => {
    const atLimit = `PASS ${'x'.repeat(248)}`;
    const splitter = new CommandLineSplitter();
    expect(splitter.push(chunk(`${atLimit}\r\n`))).toEqual([line(atLimit)]);
    expect(splitter.push(chunk(`${atLimit}x\r\nNOOP\r\n`))).toEqual([{ kind: 'too-long' }, line('NOOP')]);
    // Without the CR, the limit still counts a CRLF.
    expect(splitter.push(chunk(`${atLimit}x\nNOOP\n`))).toEqual([{ kind: 'too-long' }, line('NOOP')]);
  });

  it('stops buffering an endless line, reports it once and resynchronizes', () => {
    const splitter = new CommandLineSplitter();
    const reports: Pop3InputLine[] = [];
    for (let i = 0; i < 100; i += 1) {
      reports.push(...splitter.push(chunk('x'.repeat(1000))));
      expect(splitter.bufferedOctets).toBeLessThan(255);
    }
    reports.push(...splitter.push(chunk('tail\r\nSTAT\r\n')));
    expect(reports).toEqual([{ kind: 'too-long' }, line('STAT')]);
  });

  it('keeps a partial line that ends in CR at the limit', () => {
    const text = 'x'.repeat(253);
    const splitter = new CommandLineSplitter();
    expect(splitter.push(chunk(`${text}\r`))).toEqual([]);
    expect(splitter.push(chunk('\n'))).toEqual([line(text)]);
  });

  it('can raise the limit, e.g. for a SASL exchange', () => {
    const splitter = new CommandLineSplitter();
    splitter.maxLineOctets = 12_288;
    const long = 'A'.repeat(10_000);
    expect(splitter.push(chunk(`${long}\r\n`))).toEqual([line(long)]);
    expect(() => {
      splitter.maxLineOctets = 0;
    }).toThrow(RangeError);
  });

  it('copies partial input, so reusing the chunk memory is safe', () => {
    const splitter = new CommandLineSplitter();
    const reused = chunk('USER');
    splitter.push(reused);
    reused.fill(0x21);
    expect(splitter.push(chunk(' a\r\n'))).toEqual([line('USER a')]);
  });
});
