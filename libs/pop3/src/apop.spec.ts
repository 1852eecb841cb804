// Tests of apop.ts, with the example of RFC 1939 §7.

import { describe, expect, it } from 'vitest';
import { apopDigest, makeApopTimestamp, verifyApopDigest } from './apop';

const timestamp = '<1896.697170952@dbc.mtview.ca.us>';
const secret = 'tanstaaf';
const digest = 'c4c9334bac560ecc979e58001b3e22fb';

describe('apopDigest', () => {
  it('matches the RFC 1939 §7 example', () => {
    expect(apopDigest(timestamp, secret)).toBe(digest);
  });
});

describe('verifyApopDigest', () => {
  it('accepts the right digest, in either case', () => {
    expect(verifyApopDigest(timestamp, secret, digest)).toBe(true);
    expect(verifyApopDigest(timestamp, secret, digest.toUpperCase())).toBe(true);
  });

  it('rejects a wrong secret, a wrong digest and a malformed one', () => {
    expect(verifyApopDigest(timestamp, 'tanstaafl', digest)).toBe(false);
    expect(verifyApopDigest(timestamp, secret, `${digest.slice(0, 31)}0`)).toBe(false);
    expect(verifyApopDigest(timestamp, secret, digest.slice(1))).toBe(false);
    expect(verifyApopDigest(timestamp, secret, '')).toBe(false);
  });
});

describe('makeApopTimestamp', () => {
  it('has the msg-id shape <pid.clock...@hostname>', () => {
    const value = makeApopTimestamp('pop.example.com', () => 697_170_952);
    expect(value).toMatch(new RegExp(`^<${process.pid}\\.697170952\\.\\d+\\.[0-9a-f]{12}@pop\\.example\\.com>$`));
  });

  it('is different on every call, even with a frozen clock', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1_000; i += 1) seen.add(makeApopTimestamp('h', () => 0));
    expect(seen.size).toBe(1_000);
  });

  it('rejects hostnames that would break the syntax', () => {
    for (const bad of ['', 'a b', 'a>b', 'a<b', 'a@b', 'a\r\nb']) {
      expect(() => makeApopTimestamp(bad), JSON.stringify(bad)).toThrow(RangeError);
    }
  });

  it('works end to end with the digest', () => {
    const banner = makeApopTimestamp('pop.example.com');
    expect(verifyApopDigest(banner, 's3cret', apopDigest(banner, 's3cret'))).toBe(true);
  });
});
