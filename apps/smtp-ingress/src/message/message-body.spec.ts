// Tests of message-body.ts: holding chunks once, within the size limit.
import { describe, expect, it } from 'vitest';
import { MessageBody } from './message-body';

describe('MessageBody', () => {
  it('keeps chunks once and hands them over', () => {
    const body = new MessageBody(10);
    const chunk = Buffer.from('hello');
    body.add(chunk);
    body.add(Buffer.from('!'));
    const taken = body.take();
    expect(taken[0]).toBe(chunk);
    expect(Buffer.concat(taken).toString()).toBe('hello!');
    expect(body.take()).toEqual([]);
    expect(body.size).toBe(6);
  });

  it('keeps counting past the limit but drops everything (RFC 1870 §6.3)', () => {
    const body = new MessageBody(4);
    body.add(Buffer.from('abc'));
    body.add(Buffer.from('de'));
    body.add(Buffer.from('fg'));
    expect(body.tooBig).toBe(true);
    expect(body.size).toBe(7);
    expect(body.take()).toEqual([]);
  });

  it('scans lines only when asked (BDAT without BINARYMIME)', () => {
    const scanned = new MessageBody(100, { scanLines: true });
    scanned.add(Buffer.from('a\nb'));
    expect(scanned.bareLineEndings).toBe(true);
    const binary = new MessageBody(100);
    binary.add(Buffer.from('a\nb'));
    expect(binary.bareLineEndings).toBe(false);
  });
});
