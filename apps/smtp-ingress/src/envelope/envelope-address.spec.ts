// Tests of envelope-address.ts: addresses the envelope contract can carry.
import { parseForwardPath, parseReversePath } from '@mail/smtp';
import { describe, expect, it } from 'vitest';
import { recipientAddress, senderAddress } from './envelope-address';

describe('senderAddress', () => {
  it('gives the address, or "" for the null sender', () => {
    expect(senderAddress(parseReversePath('<alice@crepes.fr>', { utf8: false }))).toBe('alice@crepes.fr');
    expect(senderAddress(parseReversePath('<>', { utf8: false }))).toBe('');
  });

  it('refuses forms the envelope contract cannot carry with 553 5.1.7', () => {
    expect(() => senderAddress(parseReversePath('<"a b"@crepes.fr>', { utf8: false }))).toThrow(/^553 5\.1\.7 /);
  });
});

describe('recipientAddress', () => {
  it('maps <Postmaster> to the postmaster of our host name (RFC 5321 §4.1.1.3)', () => {
    expect(recipientAddress(parseForwardPath('<Postmaster>', { utf8: false }), 'mx.example.test')).toBe('postmaster@mx.example.test');
    expect(recipientAddress(parseForwardPath('<bob@example.test>', { utf8: false }), 'mx.example.test')).toBe('bob@example.test');
  });

  it('refuses forms the envelope contract cannot carry with 553 5.1.3', () => {
    expect(() => recipientAddress(parseForwardPath('<"b o b"@example.test>', { utf8: false }), 'mx')).toThrow(/^553 5\.1\.3 /);
  });
});
