import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { AddressSyntaxError, parseForwardPath, parseMailbox, parseReversePath } from './address';
import type { Mailbox } from './address';
import { SmtpReplyError } from './reply';

interface Good {
  in: string;
  utf8?: boolean;
  out: Mailbox | null;
}
interface Bad {
  in: string;
  utf8?: boolean;
  code: number;
  enhanced: string;
  why: string;
}
interface Fixtures {
  reverse: { good: Good[]; bad: Bad[] };
  forward: { good: Good[]; bad: Bad[] };
}

const fixtures = JSON.parse(readFileSync(new URL('../testdata/paths.json', import.meta.url), 'utf8')) as Fixtures;

function replyErrorOf(fn: () => unknown): SmtpReplyError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SmtpReplyError) return err;
    throw err;
  }
  throw new Error('expected an SmtpReplyError');
}

describe('parseReversePath (testdata/paths.json)', () => {
  it.each(fixtures.reverse.good)('accepts $in', (f) => {
    expect(parseReversePath(f.in, { utf8: f.utf8 ?? false })).toEqual(f.out);
  });
  it.each(fixtures.reverse.bad)('rejects $in', (f) => {
    const err = replyErrorOf(() => parseReversePath(f.in, { utf8: f.utf8 ?? false }));
    expect([err.code, err.enhanced]).toEqual([f.code, f.enhanced]);
    expect(err.message).toContain(f.why);
    expect(err.userFault).toBe(true);
    expect(err.cause).toBeInstanceOf(AddressSyntaxError);
  });
});

describe('parseForwardPath (testdata/paths.json)', () => {
  it.each([...fixtures.forward.good, ...fixtures.reverse.good.filter((g) => g.out !== null)])('accepts $in', (f) => {
    expect(parseForwardPath(f.in, { utf8: f.utf8 ?? false })).toEqual(f.out);
  });
  it.each(fixtures.forward.bad)('rejects $in', (f) => {
    const err = replyErrorOf(() => parseForwardPath(f.in, { utf8: f.utf8 ?? false }));
    expect([err.code, err.enhanced]).toEqual([f.code, f.enhanced]);
    expect(err.message).toContain(f.why);
  });
});

describe('length limits (RFC 5321 §4.5.3.1)', () => {
  const label = 'a'.repeat(63);
  it('accepts a 64-octet local part and rejects 65', () => {
    expect(parseForwardPath(`<${'x'.repeat(64)}@example.test>`, { utf8: false }).local).toHaveLength(64);
    expect(replyErrorOf(() => parseForwardPath(`<${'x'.repeat(65)}@example.test>`, { utf8: false })).message).toContain('local part longer than 64');
  });
  it('counts octets, not characters, for UTF-8 local parts', () => {
    // 22 × "ü" = 44 octets fine; 33 × "ü" = 66 octets too long
    expect(() => parseForwardPath(`<${'ü'.repeat(22)}@example.test>`, { utf8: true })).not.toThrow();
    expect(() => parseForwardPath(`<${'ü'.repeat(33)}@example.test>`, { utf8: true })).toThrow(/longer than 64/);
  });
  it('rejects a 64-octet label', () => {
    expect(() => parseForwardPath(`<u@${'a'.repeat(64)}.test>`, { utf8: false })).toThrow(/label longer than 63/);
  });
  it('rejects a domain over 255 octets', () => {
    const domain = [label, label, label, label].join('.'); // 255 octets
    expect(domain).toHaveLength(255);
    expect(() => parseMailbox(`u@${domain}`, { utf8: false })).not.toThrow();
    expect(() => parseMailbox(`u@${domain}x`, { utf8: false })).toThrow(/domain longer than 255/);
  });
  it('rejects a path over 256 octets', () => {
    const domain = [label, label, label, 'a'.repeat(60)].join('.'); // 252 octets
    expect(parseForwardPath(`<a@${domain}>`, { utf8: false }).domain).toBe(domain); // 256 octets with <a@ and >
    expect(() => parseForwardPath(`<ab@${domain}>`, { utf8: false })).toThrow(/path longer than 256/);
  });
});

describe('parseMailbox', () => {
  it('parses a bare address', () => {
    expect(parseMailbox('"x y"@[192.0.2.1]', { utf8: false })).toEqual({
      local: 'x y',
      domain: '[192.0.2.1]',
      address: '"x y"@[192.0.2.1]',
      sourceRoute: [],
      quoted: true,
    });
  });
  it('throws AddressSyntaxError with a kind', () => {
    expect(() => parseMailbox('a@b@c', { utf8: false })).toThrow(AddressSyntaxError);
    expect(() => parseMailbox('ü@example.test', { utf8: false })).toThrow(expect.objectContaining({ name: 'AddressSyntaxError', kind: 'non-ascii' }));
    expect(() => parseMailbox('ü@example.test', { utf8: false })).toThrow(AddressSyntaxError);
  });
});

describe('fuzz', () => {
  it('only ever throws SmtpReplyError', () => {
    const alphabet = ['<', '>', '@', '.', '"', '\\', '[', ']', ':', ',', 'a', 'Z', '0', '-', ' ', 'ü', '\u0000', 'IPv6:', 'postmaster'];
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < 10000; i++) {
      let s = '<';
      const len = rand(20);
      for (let j = 0; j < len; j++) s += alphabet[rand(alphabet.length)];
      for (const parse of [parseReversePath, parseForwardPath]) {
        try {
          parse(s, { utf8: rand(2) === 0 });
          accepted++;
        } catch (err) {
          expect(err).toBeInstanceOf(SmtpReplyError);
          rejected++;
        }
      }
    }
    // Both outcomes occur (fixed seed): the loop tested the parser, not only one branch of it
    expect(accepted).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  });
});
